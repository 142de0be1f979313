import { actions, button, context, type Message, section } from './kit.js';

/** "Ask for a record" (src/slack/listeners/actions/request-record.ts). */
export const REQUEST_RECORD_ACTION = 'career.record.request';

/**
 * No record yet: the one message a person without a record gets, whatever they tried (`/career me`, a check-in,
 * reminders, a celebration, pause, the Home tab), with **Ask for a record**. Records are added by Ripple admins (not
 * managers), so the button asks them. `otherNoRecordMessage` is for someone else.
 */
export function noRecordMessage(): Message {
  const text =
    ":wave: You don't have a career record yet. A Ripple admin adds it (your team, level and manager); then Ripple shows what your level expects, when the next step usually comes, and lets you check in. Press *Ask for a record* and I'll ask them for you.";
  return {
    text: "You don't have a career record yet. Ask for a record: a Ripple admin adds it.",
    blocks: [
      section(text),
      ...actions([button('Ask for a record', REQUEST_RECORD_ACTION, 'request', 'primary')]),
      context('Meanwhile, `/career titles` shows every framework.'),
    ],
  };
}
