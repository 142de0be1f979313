import { describe, expect, it } from 'vitest';
import * as checkins from '../../src/checkins/service.js';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { createStores } from '../../src/store/index.js';
import { FakeClock } from '../support/app.js';

const T = 'T0TEAM';
const BEN = 'U0BEN00001';
const MAYA = 'U0MAYA0001';
const catalog = new Catalog(loadFrameworks('frameworks'));

async function setup(levelId = 'level-2', frameworkId = 'marketing') {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const clock = new FakeClock('2026-11-29T15:00:00Z');
  await stores.teammates.upsert({
    teamId: T,
    userId: BEN,
    frameworkId,
    levelId,
    since: '2026-01-15',
    managerId: MAYA,
    changedBy: 'U0ADMIN',
    at: clock.now().toISOString(),
  });
  const deps: checkins.CheckinDeps = {
    checkins: stores.checkins,
    teammates: stores.teammates,
    catalog,
    clock,
    expiryDays: 14,
    evidence: stores.evidence,
  };
  return { deps, clock, stores, ben: { teamId: T, userId: BEN } };
}

function started(outcome: checkins.StartOutcome) {
  if (outcome.kind !== 'started') throw new Error(`expected started, got ${outcome.kind}`);
  return outcome.view;
}

describe('check-in service', () => {
  it('asks level 2 then level 3 of Marketing: 6 + 7 questions', async () => {
    const { deps, ben } = await setup();
    const view = started(await checkins.start(deps, ben));
    expect(view.checkin.total).toBe(13);
    expect(view.question).toMatchObject({ position: 0, levelNumber: 2, expectationId: 'self-defined-tasks' });
  });

  it('someone without a record is told so', async () => {
    const { deps } = await setup();
    expect(await checkins.start(deps, { teamId: T, userId: 'U0NOBODY1' })).toEqual({ kind: 'no-record' });
  });

  it('asks which path first where the next step forks', async () => {
    const { deps, ben } = await setup('senior-engineer', 'engineering');
    const outcome = await checkins.start(deps, ben);
    expect(outcome.kind).toBe('choose-path');
    if (outcome.kind !== 'choose-path') return;
    expect(outcome.paths.map((l) => l.id).sort()).toEqual(['senior-engineer-ii', 'staff-engineer']);
    const view = started(await checkins.start(deps, ben, { levelId: 'staff-engineer' }));
    expect(view.checkin.targetLevelId).toBe('staff-engineer');
  });

  it('resumes exactly where it stopped, days later, with fresh buttons', async () => {
    const { deps, clock, ben } = await setup();
    const first = started(await checkins.start(deps, ben));
    await checkins.answer(deps, ben, first.checkin.id, first.checkin.version, 'consistently');
    const paused = await checkins.finishLater(deps, ben, first.checkin.id, first.checkin.version + 1);
    expect(paused.kind).toBe('paused');
    clock.advanceDays(5);
    const again = await checkins.start(deps, ben);
    expect(again.kind).toBe('open-exists');
    const resumed = await checkins.resume(deps, ben, first.checkin.id);
    expect(resumed.kind).toBe('question');
    if (resumed.kind !== 'question') return;
    expect(resumed.view.question.position).toBe(1);
    // The buttons of the paused message are old now.
    expect((await checkins.answer(deps, ben, first.checkin.id, first.checkin.version + 1, 'skip')).kind).toBe(
      'moved-on',
    );
  });

  it('start over abandons the open check-in and asks from the first question', async () => {
    const { deps, stores, ben } = await setup();
    const first = started(await checkins.start(deps, ben));
    await checkins.answer(deps, ben, first.checkin.id, 1, 'sometimes');
    const over = started(await checkins.startOver(deps, ben, first.checkin.id));
    expect(over.checkin.id).not.toBe(first.checkin.id);
    expect(over.question.position).toBe(0);
    expect((await stores.checkins.get(T, first.checkin.id))?.status).toBe('abandoned');
  });

  it('expires after CHECKIN_EXPIRY_DAYS without an answer, and a click then changes nothing', async () => {
    const { deps, clock, stores, ben } = await setup();
    const first = started(await checkins.start(deps, ben));
    clock.advanceDays(13);
    expect((await checkins.expireIdle(deps)).expired).toEqual([]);
    clock.advanceDays(1);
    expect((await checkins.expireIdle(deps)).expired.map((c) => c.id)).toEqual([first.checkin.id]);
    expect((await stores.checkins.get(T, first.checkin.id))?.status).toBe('expired');
    expect((await checkins.answer(deps, ben, first.checkin.id, 1, 'skip')).kind).toBe('expired');
    expect((await stores.checkins.detail(T, first.checkin.id))?.questions.every((q) => q.rating === undefined)).toBe(
      true,
    );
  });

  it('an expired check-in found on /career checkin is closed and a new one starts', async () => {
    const { deps, clock, ben } = await setup();
    const first = started(await checkins.start(deps, ben));
    clock.advanceDays(15);
    const outcome = await checkins.start(deps, ben);
    expect(outcome.kind).toBe('started');
    if (outcome.kind !== 'started') return;
    expect(outcome.expired?.id).toBe(first.checkin.id);
    expect(outcome.view.checkin.id).not.toBe(first.checkin.id);
  });

  it('each question shows what the latest finished check-in answered to it, and nothing the first time', async () => {
    const { deps, clock, stores, ben } = await setup();
    const ratings = ['not-yet', 'sometimes', 'consistently', 'skip'] as const;
    const answerAll = async (view: checkins.QuestionView, pick: (position: number) => (typeof ratings)[number]) => {
      const seen: (checkins.QuestionView['previous'] | undefined)[] = [view.previous];
      let { id, version } = view.checkin;
      for (let position = 0; position < view.checkin.total; position++) {
        const outcome = await checkins.answer(deps, ben, id, version, pick(position));
        if (outcome.kind === 'next') {
          seen.push(outcome.view.previous);
          version = outcome.view.checkin.version;
        } else expect(outcome.kind).toBe('finished');
      }
      return seen;
    };
    const first = started(await checkins.start(deps, ben));
    expect(await answerAll(first, () => 'sometimes')).toEqual(Array(13).fill(undefined));
    const firstFinished = (await stores.checkins.get(T, first.checkin.id))?.finishedAt;
    clock.advanceDays(30);
    const second = started(await checkins.start(deps, ben));
    const shown = await answerAll(second, (position) => ratings[position % 4] as (typeof ratings)[number]);
    expect(shown).toEqual(Array(13).fill({ rating: 'sometimes', finishedAt: firstFinished }));
    clock.advanceDays(30);
    // The latest finished check-in wins: the second one's answers, skips included.
    const third = started(await checkins.start(deps, ben));
    const secondFinished = (await stores.checkins.get(T, second.checkin.id))?.finishedAt;
    expect(await answerAll(third, () => 'consistently')).toEqual(
      Array.from({ length: 13 }, (_, position) => ({ rating: ratings[position % 4], finishedAt: secondFinished })),
    );
  });

  it('another person cannot answer, share or read someone’s check-in', async () => {
    const { deps, ben } = await setup();
    const view = started(await checkins.start(deps, ben));
    const maya = { teamId: T, userId: MAYA };
    expect((await checkins.answer(deps, maya, view.checkin.id, 1, 'consistently')).kind).toBe('not-found');
    expect((await checkins.forReview(deps, maya, view.checkin.id)).kind).toBe('not-shared');
  });
});
