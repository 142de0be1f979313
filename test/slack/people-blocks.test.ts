import { describe, expect, it } from 'vitest';
import { type AdminPeopleView, recordCounts } from '../../src/growth/people.js';
import { adminPeopleMessage, PEOPLE_ACTION } from '../../src/slack/blocks/people.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const EVIL = '<!channel> & <@U0EVIL0001>';
const ids = (n: number) => Array.from({ length: n }, (_, i) => `W0LONGID${String(i).padStart(6, '0')}`);

function view(overrides: Partial<AdminPeopleView> = {}): AdminPeopleView {
  return {
    records: recordCounts(
      [
        { frameworkId: 'engineering', status: 'active', count: 1200 },
        { frameworkId: 'engineering', status: 'paused', count: 3 },
        { frameworkId: 'marketing', status: 'active', count: 40 },
        { frameworkId: 'marketing', status: 'left', count: 2 },
      ],
      (id) => (id === 'engineering' ? 'Engineering' : 'Marketing'),
    ),
    withoutRecord: {
      kind: 'page',
      number: 1,
      humans: 180,
      ids: ['U0ANA00001', 'U0BEN00001'],
      nextCursor: 'dXNlcjoyMDA=',
    },
    awaiting: {
      shown: [
        { id: 7, userId: 'U0DEE00001', managerId: 'U0NOAH0001', sharedAt: '2026-08-03T10:00:00.000Z' },
        { id: 3, userId: 'U0ANA00001', managerId: 'U0MAYA0001', sharedAt: '2026-08-01T10:00:00.000Z' },
      ],
      total: 2,
      more: false,
    },
    ...overrides,
  };
}

describe('/career admin people wording', () => {
  it('pins the counts, the page, the Next page button and the waiting ratings', () => {
    const message = adminPeopleMessage(view());
    const shown = visibleText(message);
    expect(shown).toContain('*People with a record: 1,243* (3 paused) · 2 more have left');
    expect(shown).toContain('• Engineering: 1,203 (3 paused)\n• Marketing: 40');
    expect(shown).toContain(
      "*Without a record, page 1 of Slack's member list*\n2 people of the 180 people on this page have no record:",
    );
    expect(shown).toContain('<@U0ANA00001> <@U0BEN00001>');
    expect(shown).toContain(
      "Ripple keeps no member list: it reads Slack's a page at a time (up to 200 members, bots and deactivated accounts left out), so this count is for this page only.",
    );
    expect(shown).toContain('*Check-ins waiting for ratings: 2*');
    expect(shown).toContain(
      "• <@U0NOAH0001> to rate <@U0DEE00001>'s check-in, shared <!date^1785751200^{date_short}|3 Aug 2026>",
    );
    expect(shown).toContain("Nobody's answers are shown here.");
    expect(message.text).toBe(
      "People in Ripple: 1,243 with a record; 2 without a record on page 1 of Slack's member list; 2 check-ins waiting for ratings.",
    );
    const [next] = buttonsOf(message);
    expect(next).toMatchObject({ text: 'Next page', actionId: PEOPLE_ACTION.next });
    expect(JSON.parse(next?.value ?? '')).toEqual({ c: 'dXNlcjoyMDA=', p: 2 });
    expectWithinSlackLimits([message]);
  });

  it('fits a full page of 200 long ids, 20 waiting ratings and a count past the cap within Slack limits', () => {
    const message = adminPeopleMessage(
      view({
        withoutRecord: { kind: 'page', number: 3, humans: 200, ids: ids(200), nextCursor: null },
        awaiting: {
          shown: ids(20).map((id, i) => ({
            id: i,
            userId: id,
            managerId: 'U0MAYA0001',
            sharedAt: '2026-08-01T10:00:00.000Z',
          })),
          total: 1000,
          more: true,
        },
      }),
    );
    const shown = visibleText(message);
    expect(shown).toContain('200 people of the 200 people on this page have no record');
    expect(shown).toContain('This is the last page.');
    expect(shown).toContain('*Check-ins waiting for ratings: more than 1,000*');
    expect(shown).toContain('The 20 most recently shared are listed.');
    expect(buttonsOf(message)).toEqual([]);
    expect(ids(200).every((id) => shown.includes(`<@${id}>`))).toBe(true);
    expectWithinSlackLimits([message]);
  });

  it('says so when there is nothing: no record yet, everyone on the page has one, nothing waits', () => {
    const shown = visibleText(
      adminPeopleMessage({
        records: recordCounts([], (id) => id),
        withoutRecord: { kind: 'page', number: 1, humans: 1, ids: [], nextCursor: null },
        awaiting: { shown: [], total: 0, more: false },
      }),
    );
    expect(shown).toContain(
      '*People with a record: 0*\nNobody has a record yet: `/career set @person <team> <level>` adds one.',
    );
    expect(shown).toContain('Everyone on this page has a record (1 person checked).');
    expect(shown).toContain("*Check-ins waiting for ratings*\nNone: every shared check-in has its manager's ratings.");
  });

  it('says what Slack could not do, with Try again on a later page, and escapes a framework name', () => {
    const busy = adminPeopleMessage(
      view({
        records: recordCounts([{ frameworkId: 'x', status: 'active', count: 1 }], () => EVIL),
        withoutRecord: { kind: 'unavailable', number: 2, cursor: 'dXNlcjoyMDA=', reason: 'unavailable' },
      }),
    );
    expect(visibleText(busy)).toContain(
      "Slack didn't list its members just now (it allows about 20 lists a minute). Try again in a minute.",
    );
    expect(buttonsOf(busy).map((b) => b.text)).toEqual(['Try again']);
    expect(JSON.stringify(busy)).not.toContain('<!channel>');
    expect(JSON.stringify(busy)).not.toContain('<@U0EVIL0001>');
    const expired = adminPeopleMessage(
      view({ withoutRecord: { kind: 'unavailable', number: 4, cursor: 'old', reason: 'invalid-cursor' } }),
    );
    expect(visibleText(expired)).toContain('Slack no longer knows that page of its member list (its pages expire).');
    expect(buttonsOf(expired)).toEqual([]);
  });
});
