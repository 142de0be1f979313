import type { ViewSubmitAction } from '@slack/bolt';
import type { z } from 'zod';

/** What every modal's submission listener reads the same way: its private_metadata, who submitted, and Cancel. */

/** A modal's private_metadata, as `schema` says it should be; undefined for anything else (never trusted as is). */
export function meta<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const callerOf = (body: ViewSubmitAction) => ({
  teamId: body.team?.id ?? body.user.team_id ?? '',
  userId: body.user.id,
});

/**
 * A view_closed (Cancel, or the modal's ×) reaches the same callback id. It is only acknowledged:
 * what was typed into a form the person cancelled is never kept.
 */
export const closed = (body: ViewSubmitAction | { type?: unknown }) => body.type !== 'view_submission';
