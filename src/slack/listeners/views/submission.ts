import type { ViewSubmitAction } from '@slack/bolt';
import type { z } from 'zod';
import { buttonValue } from '../../button-value.js';

/** What every modal's submission listener reads the same way: its private_metadata, who submitted, and Cancel. */

/** A modal's private_metadata, as `schema` says it should be; undefined for anything else (never trusted as is). */
export function meta<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
  // The same reading as a button's value: JSON of one shape, or nothing.
  return buttonValue(schema, text);
}

export { callerOf } from '../caller.js';

/**
 * A view_closed (Cancel, or the modal's ×) reaches the same callback id. It is only acknowledged:
 * what was typed into a form the person cancelled is never kept.
 */
export const closed = (body: ViewSubmitAction | { type?: unknown }) => body.type !== 'view_submission';
