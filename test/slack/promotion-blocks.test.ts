import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { PromotionCase } from '../../src/ports/promotions.js';
import type { CaseView } from '../../src/promotions/service.js';
import { splitMessage } from '../../src/slack/blocks/kit.js';
import {
  adminCaseMessage,
  approvedMessage,
  caseHistoryMessage,
  caseRefusalMessage,
  declinedMessage,
  declinedNoticeMessage,
  declineModal,
  draftExpiredMessage,
  personCaseMessage,
  promotionChannelRefusedMessage,
  promotionSettingsMessage,
  proposalOfferMessage,
  proposedMessage,
  proposeModal,
  withdrawnMessage,
  withdrawnNoticeMessage,
} from '../../src/slack/blocks/promotions.js';
import { teamMessage } from '../../src/slack/blocks/team.js';
import { checkMessage, checkView } from '../../src/slack/limits.js';
import type { TeammateRecord } from '../../src/teammates/model.js';
import { buildCard } from '../../src/teammates/service.js';
import { visibleText } from '../support/blocks.js';

const catalog = new Catalog(loadFrameworks('frameworks'));
const marketing = catalog.get('marketing');
const level3 = marketing?.levels.find((l) => l.id === 'level-3');
const BEN = 'U0BEN00001';
const MAYA = 'U0MAYA0001';
const ADI = 'U0ADMIN001';

const record: TeammateRecord = {
  teamId: 'T0RIPPLE01',
  userId: BEN,
  frameworkId: 'marketing',
  levelId: 'level-2',
  since: '2026-01-15',
  managerId: MAYA,
  status: 'active',
  pausedUntil: null,
  title: null,
  tz: 'UTC',
  tzFetchedAt: null,
  createdAt: '2026-01-15T09:00:00.000Z',
  updatedAt: '2026-01-15T09:00:00.000Z',
} as TeammateRecord;

const draft: PromotionCase = {
  id: 7,
  teamId: 'T0RIPPLE01',
  userId: BEN,
  proposedBy: MAYA,
  frameworkId: 'marketing',
  fromLevelId: 'level-2',
  toLevelId: 'level-3',
  checkinId: 3,
  managerNote: 'Led the <autumn> launch & more',
  personNote: null,
  status: 'draft',
  sentToChannel: null,
  createdAt: '2026-11-29T15:00:00.000Z',
  personNoteAt: null,
  sentAt: null,
  decidedBy: null,
  decidedAt: null,
  since: null,
  decisionNote: null,
};

async function view(c: PromotionCase = draft, evidencePieces = 1): Promise<CaseView> {
  const clock = { now: () => new Date('2026-11-29T15:00:00Z') };
  const card = await buildCard({ teammates: { pauses: async () => [] } as never, catalog, clock }, record);
  return {
    case: c,
    framework: marketing,
    to: level3,
    card,
    checkin: { id: 3, finishedAt: '2026-11-28T10:00:00.000Z', sharedWith: MAYA },
    expectations: (level3?.expectations ?? []).map((e, i) => ({
      id: e.id,
      text: e.text,
      self: 'consistently',
      ...(i === 0 ? { manager: 'sometimes' as const } : {}),
      evidence: Array.from({ length: evidencePieces }, (_x, n) => ({
        id: n,
        teamId: c.teamId,
        userId: BEN,
        source: 'win' as const,
        text: `<!channel> piece ${n} ${'x'.repeat(2000)}`,
        note: null,
        frameworkId: 'marketing',
        target: { levelId: 'level-3', expectationId: e.id },
        authorId: null,
        message: null,
        checkinId: null,
        createdAt: c.createdAt,
        updatedAt: c.createdAt,
      })),
    })),
  };
}

describe('the promotion case, as each reader sees it', () => {
  it('the person reads the whole case and exactly who will see it before it goes', async () => {
    const m = personCaseMessage(await view(), { kind: 'admins', admins: [ADI] });
    expect(checkMessage(m)).toEqual([]);
    expect(m.text).toBe(`<@${MAYA}> proposed you for Marketing · Level 3 · Coordinator: read the case before it goes.`);
    const shown = visibleText(m);
    expect(shown).toContain(`*Promotion case for <@${BEN}>: Marketing · Level 3 · Coordinator*`);
    expect(shown).toContain('Proposed by <@U0MAYA0001> on 29 November 2026.');
    expect(shown).toContain('*Now:* Marketing · Level 2 · Strategist since 15 January 2026 (10 months at the level)');
    expect(shown).toContain("Ratings from the check-in of 28 November 2026: yours and <@U0MAYA0001>'s, side by side.");
    expect(shown).toContain('You: *Consistently* · <@U0MAYA0001>: *Sometimes*');
    expect(shown).toContain('You: *Consistently* · <@U0MAYA0001>: *—*');
    expect(shown).toContain(
      `*Who sees it when you send it:* the Ripple admins: <@${ADI}>, with your manager. They see this case: both sets of ratings, the evidence shown under each expectation and the notes. Nothing else from your log.`,
    );
    // Typed text is escaped: a pasted <!channel> never becomes a mention, and a note cannot inject one.
    const raw = JSON.stringify(m.blocks);
    expect(raw).not.toContain('<!channel>');
    expect(raw).toContain('Led the &lt;autumn&gt; launch &amp; more');
    expect(m.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });

  it("the proposer's copy leaves the person's evidence out until they send it on", async () => {
    const m = proposedMessage(await view());
    expect(checkMessage(m)).toEqual([]);
    const shown = visibleText(m);
    expect(shown).toContain(
      `:white_check_mark: Proposed. <@${BEN}> has the case in a DM: they read it first, may add a note, and send it on to the admins themselves.`,
    );
    expect(shown).toContain(
      'Their evidence for each expectation is theirs until they send the case on: you see it then.',
    );
    expect(shown).not.toContain('piece 0');
  });

  it('the channel, said as everyone in it', async () => {
    const m = personCaseMessage(await view(), { kind: 'channel', channelId: 'G0PROMO001' });
    expect(visibleText(m)).toContain(
      '*Who sees it when you send it:* everyone in <#G0PROMO001>, the promotion channel, with your manager.',
    );
  });

  it('stays within Slack limits with a lot of evidence', async () => {
    const m = adminCaseMessage(await view({ ...draft, status: 'proposed', personNote: 'y'.repeat(1000) }, 3));
    expect(checkMessage(m)).toEqual([]);
    expect(m.text).toBe(`A promotion case for <@${BEN}> waits for a decision.`);
    expect(visibleText(m)).toContain(
      `Approve records the new level from today (or the date you give), as \`/career set\` would, and tells <@${BEN}> and their manager. Decline sends your note to their manager only.`,
    );
  });

  it('the decisions, in words', () => {
    const decided = { ...draft, status: 'approved' as const, decidedBy: ADI, since: '2026-11-29' };
    expect(visibleText(approvedMessage(decided, ADI))).toBe(
      `:white_check_mark: Approved by <@${ADI}>: <@${BEN}>'s new level is recorded from 29 November 2026. They and their manager were told; nothing was posted to any channel.`,
    );
    const declined = { ...draft, status: 'declined' as const, decidedBy: ADI, decisionNote: 'Next cycle' };
    expect(visibleText(declinedMessage(declined, MAYA))).toBe(
      `Declined by <@${ADI}>. The note went to <@${MAYA}> only; <@${BEN}>'s record did not change.`,
    );
    expect(visibleText(declinedNoticeMessage(declined))).toBe(
      `<@${ADI}> declined the promotion case for <@${BEN}>. Their note for you:\n>Next cycle\nRipple has not told <@${BEN}>: what to say, and when, is yours to decide. Their record did not change.`,
    );
    expect(visibleText(caseRefusalMessage({ kind: 'case-refused', reason: 'own-case' }))).toBe(
      'This case is about you: another admin decides it.\nNothing was changed.',
    );
    expect(visibleText(caseRefusalMessage({ kind: 'case-refused', reason: 'decided', case: decided }))).toBe(
      `This case was already approved by <@${ADI}>.\nNothing was changed.`,
    );
  });

  it('the offer, the forms, the settings and the history', () => {
    const offer = proposalOfferMessage(BEN, 3, 86, 80);
    expect(visibleText(offer)).toContain(
      `By your ratings, <@${BEN}> is *86%* ready for their next level: at or above the 80% at which Ripple offers a promotion case.`,
    );
    const form = proposeModal(
      { kind: 'form', userId: BEN, checkinId: 3, from: marketing?.levels[1] as never, choices: [level3 as never] },
      marketing as never,
    );
    expect(checkView(form, 'modal')).toEqual([]);
    // One next level: chosen already; its option names it with the team.
    expect(JSON.stringify(form)).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Marketing · Level 3 · Coordinator"}',
    );
    expect(visibleText(form)).toContain(
      `<@${BEN}> sees the whole case first, your note included, and sends it on to the Ripple admins themselves.`,
    );
    expect(checkView(declineModal(7, BEN), 'modal')).toEqual([]);
    expect(visibleText(promotionSettingsMessage({ channelId: null, threshold: null }))).toContain(
      "Promotion cases go to the Ripple admins by DM (CAREER_ADMINS, or the workspace's Slack admins and owners when none are set). A rated check-in offers *Propose a promotion* from *80%* readiness by the manager's ratings (the default).",
    );
    expect(visibleText(promotionChannelRefusedMessage('G0PROMO001', 'public'))).toContain(
      '<#G0PROMO001> is a public channel: anyone in the workspace could read promotion cases there. Pick a private channel.',
    );
    const history = caseHistoryMessage([
      {
        case: {
          ...draft,
          status: 'declined',
          personNoteAt: '2026-11-30T10:00:00.000Z',
          sentAt: '2026-12-01T10:00:00.000Z',
          decidedBy: ADI,
          decidedAt: '2026-12-02T10:00:00.000Z',
        },
        to: 'Marketing · Level 3 · Coordinator',
      },
    ]);
    expect(visibleText(history)).toBe(
      [
        '*Promotion cases*',
        '*Promotion case for Marketing · Level 3 · Coordinator*',
        `• 29 November 2026: proposed by <@${MAYA}>`,
        '• 30 November 2026: you added a note',
        '• 1 December 2026: you sent it on to the Ripple admins',
        `• 2 December 2026: declined by <@${ADI}> (their note went to your manager)`,
      ].join('\n'),
    );
  });

  it('a case ended before a decision: withdrawn, expired, in words and in the history', () => {
    const withdrawn = {
      ...draft,
      status: 'withdrawn' as const,
      decidedBy: MAYA,
      decidedAt: '2026-12-01T10:00:00.000Z',
    };
    expect(visibleText(withdrawnMessage(withdrawn))).toBe(
      `Withdrawn by <@${MAYA}>. <@${BEN}> was told it was withdrawn, and by whom; nothing else. Their record did not change, and a new case can be proposed.`,
    );
    expect(visibleText(withdrawnNoticeMessage(withdrawn, 'person'))).toBe(
      `<@${MAYA}> withdrew the promotion case for you.`,
    );
    expect(visibleText(withdrawnNoticeMessage({ ...withdrawn, decidedBy: ADI }, 'proposer'))).toBe(
      `<@${ADI}> withdrew the promotion case for <@${BEN}>.`,
    );
    const expired = { ...draft, status: 'expired' as const, decidedAt: '2026-12-13T15:00:00.000Z' };
    expect(visibleText(draftExpiredMessage(expired))).toBe(
      `The promotion case you proposed for <@${BEN}> expired: they did not send it on within 14 days. Nothing was recorded; you can propose again when it's time.`,
    );
    expect(visibleText(caseRefusalMessage({ kind: 'case-refused', reason: 'decided', case: expired }))).toBe(
      'This case expired: it was not sent on within 14 days.\nNothing was changed.',
    );
    expect(visibleText(caseRefusalMessage({ kind: 'case-refused', reason: 'decided', case: withdrawn }))).toBe(
      `This case was already withdrawn by <@${MAYA}>.\nNothing was changed.`,
    );
    const history = caseHistoryMessage([
      { case: withdrawn, to: 'Marketing · Level 3 · Coordinator' },
      { case: expired, to: 'Marketing · Level 3 · Coordinator' },
    ]);
    expect(visibleText(history)).toContain(`• 1 December 2026: withdrawn by <@${MAYA}>`);
    expect(visibleText(history)).toContain('• 13 December 2026: expired: not sent on within 14 days');
  });

  it("/career team: Propose on each proposable report's row, dropped for the command once it would not fit", async () => {
    const clock = { now: () => new Date('2026-11-29T15:00:00Z') };
    const cardOf = (i: number) =>
      buildCard(
        { teammates: { pauses: async () => [] } as never, catalog, clock },
        { ...record, userId: `U0R${String(i).padStart(7, '0')}` },
      );
    const few = await Promise.all([0, 1].map(cardOf));
    const offered = teamMessage(few, MAYA, true, new Set([few[1]?.record.userId ?? '']));
    expect(checkMessage(offered)).toEqual([]);
    const buttons = offered.blocks.flatMap((b): unknown[] =>
      b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : [],
    );
    expect(buttons.map((b) => (b as { text: { text: string } }).text.text)).toEqual([
      'View check-in',
      'View check-in',
      'Propose a promotion',
    ]);
    expect(JSON.stringify(buttons[2])).toContain(`{\\"u\\":\\"${few[1]?.record.userId}\\",\\"c\\":null}`);

    const many = await Promise.all(Array.from({ length: 150 }, (_, i) => cardOf(i)));
    const full = teamMessage(many, MAYA, true, new Set(many.map((c) => c.record.userId)));
    expect(JSON.stringify(full)).not.toContain('Propose a promotion');
    expect(visibleText(full)).toContain('`/career propose @person` proposes a report for their next level.');
    const parts = splitMessage(full);
    expect(parts.length).toBeLessThanOrEqual(4);
    for (const part of parts) expect(checkMessage(part)).toEqual([]);
  });
});
