import type { Notice } from '../notify/port.js';
import { channelPostMessage, channelWelcomeMessage, digestMessage } from './blocks/growth.js';
import { type Message, splitMessage } from './blocks/kit.js';
import { managerPastMessage, reminderMessage } from './blocks/reminders.js';

/** One notice's words in Block Kit (src/slack/blocks/*). */
function noticeMessage(notice: Notice): Message {
  switch (notice.kind) {
    case 'reminder':
      return reminderMessage(notice.view);
    case 'past-window':
      return managerPastMessage(notice.reportId, notice.view);
    case 'channel-post':
      return channelPostMessage(notice.view);
    case 'channel-welcome':
      return channelWelcomeMessage(notice.slot);
    case 'digest':
      return digestMessage(notice.view);
  }
}

/**
 * A notice as the messages Slack takes, in order: one, unless its blocks are more than one message
 * may hold (a large team's digest), then several, each within Slack's limits.
 */
export function renderNotice(notice: Notice): Message[] {
  return splitMessage(noticeMessage(notice));
}
