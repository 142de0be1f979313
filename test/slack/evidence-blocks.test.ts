import { describe, expect, it } from 'vitest';
import type { EvidenceEntry } from '../../src/evidence/model.js';
import type { EvidenceChoice, EvidencePage } from '../../src/evidence/service.js';
import {
  cannotSaveMessage,
  deletedNotice,
  editEvidenceModal,
  entriesPerPage,
  entryNotFoundMessage,
  evidenceEditedMessage,
  evidenceListMessage,
  evidenceSavedMessage,
  expectationSelect,
  formNotOpenedMessage,
  notOfferedMessage,
  pageValue,
  parsePageValue,
  saveEvidenceModal,
  saveFormMetadata,
  winSavedMessage,
} from '../../src/slack/blocks/evidence.js';
import { checkMessage, checkView, LIMITS } from '../../src/slack/limits.js';
import { buttonsOf, visibleText } from '../support/blocks.js';

/** Every word of the evidence log's Slack surfaces, pinned once here; the end-to-end tests assert key facts. */

const choice = (n: number, level = 3): EvidenceChoice => ({
  levelId: `level-${level}`,
  expectationId: `expectation-${level}-${n}`,
  text: `Expectation ${n} of level ${level} & <more>`,
  level: `Level ${level}`,
});
const CHOICES = [...[1, 2, 3].map((n) => choice(n, 3)), ...[1, 2].map((n) => choice(n, 2))];

function entry(id: number, over: Partial<EvidenceEntry> = {}): EvidenceEntry {
  return {
    id,
    teamId: 'T1',
    userId: 'U0BEN',
    source: 'win',
    text: `Win ${id} <!channel>`,
    note: null,
    frameworkId: 'marketing',
    target: null,
    authorId: null,
    message: null,
    checkinId: null,
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:00.000Z',
    ...over,
  };
}

describe('the Save as evidence form', () => {
  it('quotes the message escaped, offers the choices in order with "No particular one" last, and says who sees it', () => {
    const view = saveEvidenceModal({
      text: 'Shipped it <!channel> & more',
      authorId: 'U0CHEN',
      userId: 'U0BEN',
      choices: CHOICES,
      suggested: CHOICES[1] ?? null,
      kept: null,
      metadata: '{}',
    });
    expect(checkView(view, 'modal')).toEqual([]);
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual(['Save as evidence', 'Save', 'Cancel']);
    expect(visibleText(view)).toBe(
      [
        'From <@U0CHEN>:\n>Shipped it <!channel> & more',
        'Which expectation does it show?',
        'A note for yourself (optional)',
        'Only you see your evidence. Your manager sees it only when you share a check-in or a promotion case that carries it.',
      ].join('\n'),
    );
    const picker = view.blocks[1] as { hint: { text: string }; element: ReturnType<typeof expectationSelect> };
    expect(picker.hint.text).toBe('Your next level’s expectations come first.');
    expect(picker.element.options?.map((o) => o.text.text)).toEqual([
      'Level 3 · Expectation 1 of level 3 & <more>',
      'Level 3 · Expectation 2 of level 3 & <more>',
      'Level 3 · Expectation 3 of level 3 & <more>',
      'Level 2 · Expectation 1 of level 2 & <more>',
      'Level 2 · Expectation 2 of level 2 & <more>',
      'No particular one',
    ]);
    expect(picker.element.initial_option?.value).toBe('expectation-3-2');
    expect(JSON.stringify(view)).toContain('&lt;!channel&gt;');
  });

  it('says when the message was kept before, and from a bot', () => {
    const view = saveEvidenceModal({
      text: 'Deployed',
      authorId: null,
      userId: 'U0BEN',
      choices: CHOICES,
      suggested: null,
      kept: entry(1, { note: 'before' }),
      metadata: '{}',
    });
    expect(visibleText(view)).toContain('From a bot:');
    expect(visibleText(view)).toContain(
      'You saved this message on 4 December 2026: saving it again updates that entry.',
    );
  });

  it('keeps private_metadata within Slack’s 3,000 characters, shortening the quoted text', () => {
    const meta = saveFormMetadata({ c: 'C1', ts: '1.2', p: null, a: null, r: null, t: '"quoted" \n'.repeat(1000) });
    expect(meta.length).toBeLessThanOrEqual(LIMITS.privateMetadata);
    expect(JSON.parse(meta).t.endsWith('…')).toBe(true);
  });

  it('a picker of 150 expectations keeps to 100 options, "No particular one" last', () => {
    const many = Array.from({ length: 150 }, (_, i) => choice(i));
    const select = expectationSelect(many, null);
    expect(select.options).toHaveLength(100);
    expect(select.options?.at(-1)?.value).toBe('-');
    expect(select.initial_option?.value).toBe('-');
  });
});

describe('the replies', () => {
  it.each([
    [
      'saved',
      evidenceSavedMessage({ kind: 'saved', choice: CHOICES[0] ?? null }),
      ':bookmark: Saved as evidence for *Expectation 1 of level 3 &amp; &lt;more&gt;* (Level 3).\n`/career evidence` shows your log. Only you see your evidence. Your manager sees it only when you share a check-in or a promotion case that carries it.',
    ],
    [
      'edited',
      evidenceSavedMessage({ kind: 'edited', choice: null }),
      ':bookmark: You had saved this message already: updated that entry, now for *no particular expectation*.\n`/career evidence` shows your log. Only you see your evidence. Your manager sees it only when you share a check-in or a promotion case that carries it.',
    ],
    [
      'cannot save',
      cannotSaveMessage(),
      ":warning: I can't save that message: Ripple can't see it (it isn't in that channel, or the message is gone). Nothing was saved. Invite Ripple to the channel, or write it down with `/career win`.",
    ],
    [
      'not offered',
      notOfferedMessage(),
      ":warning: That expectation isn't one of your level's or your next level's, so nothing was saved. Please pick again.",
    ],
    [
      'not found',
      entryNotFoundMessage(),
      "That entry isn't in your evidence log (it may have been deleted), so nothing changed.",
    ],
    [
      'form not opened',
      formNotOpenedMessage(),
      ":warning: I couldn't open the form in time, so nothing was saved: please use *Save as evidence* again.",
    ],
    [
      'edited from the log',
      evidenceEditedMessage(entry(3), CHOICES[3] ?? null),
      ':pencil2: Updated: “Win 3 &lt;!channel&gt;” now shows *Expectation 1 of level 2 &amp; &lt;more&gt;* (Level 2).',
    ],
  ])('%s', (_name, message, mrkdwn) => {
    expect(checkMessage(message)).toEqual([]);
    expect(
      message.blocks
        .map((b) => (b as { text?: { text: string } }).text?.text ?? visibleText({ blocks: [b] }))
        .join('\n'),
    ).toBe(mrkdwn);
  });

  it('a win: the line quoted, the picker with its entry in the block id, moved says where to', () => {
    const saved = winSavedMessage(entry(7), CHOICES, CHOICES[4] ?? null);
    expect(checkMessage(saved)).toEqual([]);
    expect(visibleText(saved)).toContain(':bookmark: Saved your win:\n>Win 7 <!channel>');
    expect(JSON.stringify(saved.blocks)).toContain('"block_id":"evidence_target.7"');
    const moved = winSavedMessage(entry(7), CHOICES, null, true);
    expect(visibleText(moved)).toContain(':bookmark: Moved your win to *no particular expectation*:');
    expect(deletedNotice(entry(7))).toBe(':wastebasket: Deleted “Win 7 &lt;!channel&gt;”.');
  });
});

describe('the log', () => {
  const page = (over: Partial<EvidencePage> = {}): EvidencePage => ({
    grouped: { groups: [], gaps: CHOICES, other: [] },
    counts: [],
    total: 0,
    before: 0,
    next: null,
    ...over,
  });

  it('empty: how to start, and every expectation a gap with Ask for an example', () => {
    const message = evidenceListMessage(page(), { userId: 'U0BEN', first: true });
    expect(checkMessage(message)).toEqual([]);
    expect(visibleText(message)).toContain(
      'Nothing kept yet. Use *Save as evidence* on any Slack message (the ⋮ menu → More message shortcuts), or `/career win <what you did>`.',
    );
    expect(visibleText(message)).toContain('*Nothing yet for:*\nExpectation 1 of level 3 & <more> (Level 3)');
    expect(buttonsOf(message).map((b) => [b.actionId, b.value])).toEqual(
      CHOICES.map((c) => [`evidence_ask_open.${c.expectationId}`, `${c.levelId}:${c.expectationId}`]),
    );
  });

  it('groups with their counts and entries (where each came from, the date), Other, n more and Show older', () => {
    const message = evidenceListMessage(
      page({
        grouped: {
          groups: [
            {
              choice: CHOICES[0] as EvidenceChoice,
              entries: [
                entry(1, {
                  source: 'message',
                  authorId: 'U0CHEN',
                  note: 'the launch',
                  message: { channelId: 'C1', ts: '1.2', permalink: 'https://x.slack.com/archives/C1/p12' },
                }),
                entry(2, { source: 'colleague', authorId: 'U0CHEN' }),
              ],
            },
          ],
          gaps: CHOICES.slice(1),
          other: [entry(3), entry(4, { source: 'checkin' })],
        },
        counts: [
          { expectationId: 'expectation-3-1', n: 5 },
          { expectationId: null, n: 4 },
        ],
        total: 9,
        next: { createdAt: '2026-12-01T10:00:00.000Z', id: 4 },
      }),
      { userId: 'U0BEN', first: true },
    );
    expect(checkMessage(message)).toEqual([]);
    const text = visibleText(message);
    expect(text).toContain('9 kept in all, newest first.');
    expect(text).toContain('*Expectation 1 of level 3 & <more>*\nLevel 3 · 5 kept');
    expect(text).toContain(
      '“Win 1 <!channel>”\n_the launch_\n<https://x.slack.com/archives/C1/p12|a message> from <@U0CHEN> · 4 December 2026',
    );
    expect(text).toContain('“Win 2 <!channel>”\nfrom <@U0CHEN> · 4 December 2026');
    expect(text).toContain('*Other* (no particular expectation, or an earlier level’s)');
    expect(text).toContain('“Win 3 <!channel>”\nyour win · 4 December 2026');
    expect(text).toContain('“Win 4 <!channel>”\nadded during a check-in · 4 December 2026');
    expect(text).toContain('5 more, older.');
    const older = buttonsOf(message).find((b) => b.text === 'Show older');
    expect(parsePageValue(older?.value)).toEqual({
      after: { createdAt: '2026-12-01T10:00:00.000Z', id: 4 },
      before: 4,
    });
    expect(
      buttonsOf(message)
        .filter((b) => b.text === 'Edit')
        .map((b) => b.actionId),
    ).toEqual(['evidence_edit_open.1', 'evidence_edit_open.2', 'evidence_edit_open.3', 'evidence_edit_open.4']);
    const del = message.blocks.flatMap((b) => (b as { elements?: { confirm?: unknown }[] }).elements ?? []);
    expect(JSON.stringify(del)).toContain('Delete this evidence?');
  });

  it('a full page fits 50 blocks beside any number of expectations', () => {
    for (const n of [1, 13, 30, 44, 60, 120]) {
      const choices = Array.from({ length: n }, (_, i) => choice(i));
      const per = entriesPerPage(n);
      const entries = Array.from({ length: per }, (_, i) => entry(i + 1, { target: null }));
      const message = evidenceListMessage(
        page({
          grouped: { groups: [{ choice: choices[0] as EvidenceChoice, entries }], gaps: choices.slice(1), other: [] },
          total: per + 5,
          next: { createdAt: '2026-12-01T10:00:00.000Z', id: 1 },
        }),
        { userId: 'U0BEN', first: true, notice: 'Deleted' },
      );
      expect(checkMessage(message), `${n} expectations`).toEqual([]);
    }
  });

  it('a page value that is not one is refused', () => {
    expect(parsePageValue('x|1|2')).toBeUndefined();
    expect(parsePageValue(pageValue({ createdAt: '2026-12-01T10:00:00.000Z', id: 9 }, 10))).toEqual({
      after: { createdAt: '2026-12-01T10:00:00.000Z', id: 9 },
      before: 10,
    });
  });

  it('the Edit form preselects the entry’s expectation and keeps its note', () => {
    const view = editEvidenceModal({
      entry: entry(5, { target: { levelId: 'level-2', expectationId: 'expectation-2-1' }, note: 'n' }),
      choices: CHOICES,
      metadata: '{"i":5}',
    });
    expect(checkView(view, 'modal')).toEqual([]);
    expect(view.title.text).toBe('Edit evidence');
    expect(JSON.stringify(view)).toContain('"initial_value":"n"');
    const select = view.blocks.flatMap((b) =>
      (b as { element?: { initial_option?: { value: string } } }).element ? [b] : [],
    );
    expect(JSON.stringify(select)).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Level 2 · Expectation 1 of level 2 & <more>"}',
    );
  });
});
