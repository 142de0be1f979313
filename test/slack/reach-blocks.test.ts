import { describe, expect, it } from 'vitest';
import { checkinDmFailedMessage, otherWorkspaceMessage } from '../../src/slack/blocks/reach.js';
import { checkMessage } from '../../src/slack/limits.js';

describe('what Ripple says when it cannot reach someone', () => {
  it.each([
    ['Acme', 'Ripple serves the Acme workspace only.', 'Ripple serves the *Acme* workspace only.'],
    [
      'R&D <Labs>',
      'Ripple serves the R&D <Labs> workspace only.',
      'Ripple serves the *R&amp;D &lt;Labs&gt;* workspace only.',
    ],
    [
      undefined,
      'Ripple serves the workspace it is installed in only.',
      'Ripple serves the workspace it is installed in only.',
    ],
  ])('a person of another workspace, Ripple installed in %s', (name, text, shown) => {
    const m = otherWorkspaceMessage(name);
    expect(m.text).toBe(text);
    // The name is Slack's, but still escaped: mrkdwn must never turn it into a mention or a link.
    expect(m.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: shown } }]);
    expect(checkMessage(m)).toEqual([]);
  });

  it('a check-in whose DM could not be sent says so instead of "it is in our DM"', () => {
    const m = checkinDmFailedMessage();
    expect(m.text).toBe(
      "I couldn't send your check-in to our DM: Slack did not take the message. Your check-in is saved and I'll keep trying; you can also run `/career checkin` again in a minute to pick it up, or ask your Slack admin whether Ripple is still installed.",
    );
    expect(m.text).not.toContain('is in our DM');
    expect(checkMessage(m)).toEqual([]);
  });
});
