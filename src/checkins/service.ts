import { type Action, authorize, type Target } from '../career/permissions.js';
import type { Clock } from '../context.js';
import type { Catalog } from '../frameworks/catalog.js';
import { askedName } from '../frameworks/describe.js';
import type { Framework, Level } from '../frameworks/schema.js';
import type { AppliedChange, AskedQuestion, CheckinStore } from '../ports/checkins.js';
import { StateConflictError } from '../ports/errors.js';
import type { EvidenceStore, ShownEvidence } from '../ports/evidence.js';
import type { TeammateStore } from '../ports/teammates.js';
import type { TeammateRecord } from '../teammates/model.js';
import { readTypedAnswer } from './ask.js';
import { applyEvent, type CheckinEvent, isExpired, type Question, type Rating } from './machine.js';
import { type Applied, type CheckinDetail, type CheckinRecord, evidenceAt } from './model.js';
import { type LevelCounts, type Summary, summarize } from './summary.js';

/**
 * What check-ins do, without Slack: start, answer, evidence, finish later, continue, start over,
 * expire, share, the manager's ratings and the history. Each function takes exactly the
 * dependencies it uses and returns a coded outcome; `src/slack/blocks/checkins.ts` words it.
 * Every read of answers goes through the permission table (`src/career/permissions.ts`).
 */

export interface CheckinDeps {
  checkins: CheckinStore;
  teammates: Pick<TeammateStore, 'get'>;
  catalog: Catalog;
  clock: Clock;
  /** CHECKIN_EXPIRY_DAYS. */
  expiryDays: number;
  /**
   * The person's evidence log (issue 17): what each question shows of it, and evidence added during a check-in,
   * which joins it. Bound to the same unit of work as `checkins`.
   */
  evidence: Pick<EvidenceStore, 'add' | 'shownForQuestion' | 'shownForCheckin'>;
}

/** How many entries of the log a question shows; the rest are counted ("and 2 more"). */
export const LOG_SHOWN = 3;

export interface Caller {
  teamId: string;
  userId: string;
}

/**
 * The question being asked, with what the previous check-in answered to the same expectation and what the person
 * kept in their evidence log for it since their last check-in (`log`, when there is any).
 */
export interface QuestionView {
  checkin: CheckinRecord;
  question: Question;
  previous?: { rating: Rating; finishedAt: string };
  log?: ShownEvidence;
}

export interface SummaryView {
  checkin: CheckinDetail;
  summary: Summary;
  /**
   * What the check-in showed of the evidence log, by expectation: kept between the previous check-in and this one's
   * finish. Once shared, the manager sees these with the answers, and nothing else of the log.
   */
  log?: readonly ShownEvidence[];
}

export type StartOutcome =
  | { kind: 'started'; view: QuestionView; expired?: CheckinRecord }
  | { kind: 'open-exists'; checkin: CheckinRecord }
  | { kind: 'choose-path'; framework: Framework; level: Level; paths: Level[] }
  | { kind: 'no-record' }
  | { kind: 'unknown-level'; input: string; framework: Framework }
  | { kind: 'not-permitted' };

export type AnswerOutcome =
  | { kind: 'next'; answered: Question; rating: Rating; evidence: string[]; view: QuestionView }
  | { kind: 'finished'; answered: Question; rating: Rating; evidence: string[]; result: SummaryView }
  | { kind: 'moved-on'; current?: QuestionView }
  | { kind: 'expired'; checkin: CheckinRecord }
  | { kind: 'not-found' };

const at = (deps: Pick<CheckinDeps, 'clock'>) => deps.clock.now().toISOString();

function targetOf(record: TeammateRecord | null, checkin: CheckinRecord | null, userId: string): Target {
  return {
    userId: checkin?.userId ?? userId,
    managerId: record?.managerId ?? null,
    status: record?.status,
    sharedWith: checkin?.sharedWith ?? null,
  };
}

async function allowed(
  deps: Pick<CheckinDeps, 'teammates'>,
  action: Action,
  caller: Caller,
  checkin: CheckinRecord,
): Promise<boolean> {
  const actor = { userId: caller.userId, isAdmin: false };
  // NOTE: the record can only add to what the check-in alone allows (its manager of record is one more relation,
  // its status one more condition met), so the owner's own click is decided without reading it.
  if (authorize(action, actor, targetOf(null, checkin, checkin.userId)).allowed) return true;
  const record = await deps.teammates.get(checkin.teamId, checkin.userId);
  return authorize(action, actor, targetOf(record, checkin, checkin.userId)).allowed;
}

/** The person's own check-in by id, or null when it is someone else's (never say which). */
async function own(deps: CheckinDeps, caller: Caller, id: number): Promise<CheckinRecord | null> {
  const checkin = await deps.checkins.get(caller.teamId, id);
  if (!checkin || !(await allowed(deps, 'checkin-self', caller, checkin))) return null;
  return checkin;
}

/** Expires the check-in if it has been left alone too long; returns it expired, or null when still fine. */
async function expireIfDue(deps: CheckinDeps, checkin: CheckinRecord): Promise<CheckinRecord | null> {
  const now = at(deps);
  // The machine's own rule, asked first: a check-in in use (every click) is not expiring, and nothing more is done.
  if (!isExpired(checkin, now, deps.expiryDays)) return null;
  const applied = await decideOn(deps, checkin, { kind: 'expire', now, expiryDays: deps.expiryDays });
  return applied.transition.ok ? applied.checkin : null;
}

/**
 * `checkins.apply` for a check-in this unit of work has just read: the machine decides on it as read, and the
 * store saves the result under its version (a check-in moved on by someone else meanwhile is refused with
 * `checkin-stale`, never overwritten), without reading it again.
 */
async function decideOn(deps: CheckinDeps, checkin: CheckinRecord, event: CheckinEvent): Promise<Applied> {
  const outcome = applyEvent(checkin, event);
  if (!outcome.transition.ok) return { transition: outcome.transition, checkin: outcome.checkin };
  return { transition: outcome.transition, checkin: await deps.checkins.save(checkin, outcome as AppliedChange) };
}

/**
 * A check-in as read, its questions named by the framework's rule (frameworks/describe `levelName`)
 * where a level's number is not shown: the snapshot keeps number and title, the naming follows the file.
 */
async function readDetail(deps: CheckinDeps, teamId: string, id: number): Promise<CheckinDetail | null> {
  const detail = await deps.checkins.detail(teamId, id);
  if (detail) nameQuestions(deps.catalog, detail.frameworkId, detail.questions);
  return detail;
}

/** `readDetail` for a check-in this unit has just read or saved: not read again. */
async function readDetailOf(deps: CheckinDeps, checkin: CheckinRecord): Promise<CheckinDetail> {
  const detail = await deps.checkins.detailOf(checkin);
  nameQuestions(deps.catalog, detail.frameworkId, detail.questions);
  return detail;
}

/** Questions of a check-in this unit has read, by position, with their evidence, named as `readDetail` names them. */
async function readAsked(deps: CheckinDeps, checkin: CheckinRecord, positions: readonly number[]) {
  const asked = await deps.checkins.askedAt(checkin, positions);
  nameQuestions(
    deps.catalog,
    checkin.frameworkId,
    asked.map((a) => a.question),
  );
  return asked;
}

function nameQuestions(catalog: Catalog, frameworkId: string, questions: readonly Question[]): void {
  const framework = catalog.get(frameworkId);
  if (!framework) return;
  for (const q of questions) {
    const level = catalog.levelById(framework, q.levelId);
    const name = level && askedName(framework.levels, level);
    if (name) q.levelName = name;
  }
}

/** The question being asked in `checkin`, with its "Last time"; `asked`: that question, when the caller has read it. */
async function questionView(
  deps: CheckinDeps,
  checkin: CheckinRecord,
  asked?: Question,
): Promise<QuestionView | undefined> {
  const question =
    asked?.position === checkin.cursor ? asked : (await readAsked(deps, checkin, [checkin.cursor]))[0]?.question;
  if (!question) return undefined;
  const view: QuestionView = { checkin, question: stripRating(question) };
  const previous = await deps.checkins.lastRating(
    checkin.teamId,
    checkin.userId,
    question.levelId,
    question.expectationId,
  );
  if (previous) view.previous = previous;
  // NOTE: one statement, the budget of a click for the question it shows (bench checkin-click).
  const log = await deps.evidence.shownForQuestion(checkin, question.expectationId, LOG_SHOWN);
  if (log.entries.length > 0) view.log = log;
  return view;
}

function stripRating(q: Question & { rating?: Rating }): Question {
  const { rating: _rating, ...question } = q;
  return question;
}

/** The levels a check-in asks: the person's level, then the one they aim for (or their next step). */
function levelsToAsk(
  deps: CheckinDeps,
  record: TeammateRecord,
  aim: { words?: readonly string[]; levelId?: string },
): { framework: Framework; levels: Level[] } | Exclude<StartOutcome, { kind: 'started' | 'open-exists' }> {
  const framework = deps.catalog.get(record.frameworkId);
  const level = framework ? deps.catalog.levelById(framework, record.levelId) : undefined;
  if (!framework || !level) return { kind: 'no-record' };
  let target: Level | undefined;
  if (aim.levelId !== undefined) target = deps.catalog.levelById(framework, aim.levelId);
  else if (aim.words && aim.words.length > 0) {
    const found = deps.catalog.findLevel(framework, aim.words.join(' '));
    if (!found.ok) return { kind: 'unknown-level', input: aim.words.join(' '), framework };
    target = found.level;
  } else {
    const next = deps.catalog.nextSteps(framework, level);
    if (next.length > 1) return { kind: 'choose-path', framework, level, paths: next };
    target = next[0];
  }
  if (aim.levelId !== undefined && !target) return { kind: 'unknown-level', input: aim.levelId, framework };
  const levels = target && target.id !== level.id ? [level, target] : [level];
  return { framework, levels };
}

/** `/career checkin [level]`, the Home button, a path choice, and Start over. */
export async function start(
  deps: CheckinDeps,
  caller: Caller,
  aim: { words?: readonly string[]; levelId?: string; replacing?: number } = {},
): Promise<StartOutcome> {
  const record = await deps.teammates.get(caller.teamId, caller.userId);
  if (!record) return { kind: 'no-record' };
  if (
    !authorize('checkin-self', { userId: caller.userId, isAdmin: false }, targetOf(record, null, caller.userId)).allowed
  )
    return { kind: 'not-permitted' };
  let expired: CheckinRecord | undefined;
  const open = await deps.checkins.openFor(caller.teamId, caller.userId);
  if (open) {
    const gone = await expireIfDue(deps, open);
    if (gone) expired = gone;
    else if (aim.replacing === open.id)
      await deps.checkins.apply(caller.teamId, open.id, { kind: 'start-over', at: at(deps) });
    else return { kind: 'open-exists', checkin: open };
  }
  const plan = levelsToAsk(deps, record, aim);
  if ('kind' in plan) return plan;
  const questions = plan.levels.flatMap((level) =>
    level.expectations.map((e) => ({
      levelId: level.id,
      levelNumber: level.number,
      levelTitle: level.titles.join(' / '),
      expectationId: e.id,
      text: e.text,
    })),
  );
  try {
    const checkin = await deps.checkins.create({
      teamId: caller.teamId,
      userId: caller.userId,
      frameworkId: plan.framework.id,
      levelId: plan.levels[0]?.id as string,
      targetLevelId: plan.levels[1]?.id ?? null,
      questions,
      at: at(deps),
    });
    const view = (await questionView(deps, checkin)) as QuestionView;
    return expired ? { kind: 'started', view, expired } : { kind: 'started', view };
  } catch (err) {
    // Another device started one a moment ago: offer that one.
    const other = err instanceof StateConflictError ? await deps.checkins.openFor(caller.teamId, caller.userId) : null;
    if (other) return { kind: 'open-exists', checkin: other };
    throw err;
  }
}

/** Start over: abandons the open check-in `id` and starts a new one for the same levels. */
export async function startOver(deps: CheckinDeps, caller: Caller, id: number): Promise<StartOutcome> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return await start(deps, caller);
  return await start(deps, caller, { levelId: checkin.targetLevelId ?? checkin.levelId, replacing: id });
}

export type ContinueOutcome =
  | { kind: 'question'; view: QuestionView }
  /** This Continue was already pressed: the question it asked is in the DM (or in the outbox). */
  | { kind: 'already' }
  | { kind: 'expired'; checkin: CheckinRecord }
  | { kind: 'closed' };

/**
 * Continue: asks the current question again, with fresh buttons (older ones stop working).
 * `version` is the one the Continue button was drawn with; a button without one always asks.
 */
export async function resume(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  version?: number,
): Promise<ContinueOutcome> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return { kind: 'closed' };
  const gone = await expireIfDue(deps, checkin);
  if (gone) return { kind: 'expired', checkin: gone };
  const event =
    version === undefined
      ? { kind: 'continue' as const, at: at(deps) }
      : { kind: 'continue' as const, at: at(deps), version };
  const applied = await deps.checkins.apply(caller.teamId, id, event);
  if (!applied.transition.ok && applied.transition.reason === 'moved-on') return { kind: 'already' };
  if (!applied.transition.ok || !applied.checkin) return { kind: 'closed' };
  const view = await questionView(deps, applied.checkin);
  return view ? { kind: 'question', view } : { kind: 'closed' };
}

/** A click on Not yet / Sometimes / Consistently / Skip. */
export async function answer(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  version: number,
  rating: Rating,
): Promise<AnswerOutcome> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return { kind: 'not-found' };
  const gone = checkin.status === 'expired' ? checkin : await expireIfDue(deps, checkin);
  if (gone) return { kind: 'expired', checkin: gone };
  const applied = await decideOn(deps, checkin, { kind: 'answer', version, rating, at: at(deps) });
  const t = applied.transition;
  if (!t.ok || t.effect.kind !== 'answered' || !applied.checkin) {
    const current = applied.checkin?.status === 'open' ? await questionView(deps, applied.checkin) : undefined;
    return current ? { kind: 'moved-on', current } : { kind: 'moved-on' };
  }
  const position = t.effect.position;
  if (t.effect.finished) {
    // The summary shows every answer: the whole check-in, as just saved (not read again).
    const detail = await readDetailOf(deps, applied.checkin);
    const answered = stripRating(detail.questions[position] as Question);
    return {
      kind: 'finished',
      answered,
      rating,
      evidence: evidenceAt(detail, position),
      result: await summaryOf(deps, detail),
    };
  }
  // A click shows two questions, the one answered and the next: only those are read, with their evidence.
  const [answered, next] = await readAsked(deps, applied.checkin, [position, applied.checkin.cursor]);
  return {
    kind: 'next',
    answered: (answered as AskedQuestion).question,
    rating,
    evidence: (answered as AskedQuestion).evidence,
    view: (await questionView(deps, applied.checkin, next?.question)) as QuestionView,
  };
}

export type TypedOutcome =
  /** Not an answer, or no check-in is asking: the line is evidence (or not about a check-in at all). */
  | { kind: 'not-an-answer' }
  /** Close to more than one answer: the question, to ask which was meant. */
  | { kind: 'ambiguous'; candidates: Rating[]; view: QuestionView }
  | AnswerOutcome;

/**
 * A line typed in the DM during a check-in: when it names an answer ("consistently", "3", "skip", a close
 * misspelling), it answers the question being asked, as the button would.
 */
export async function answerTyped(deps: CheckinDeps, caller: Caller, line: string): Promise<TypedOutcome> {
  const typed = readTypedAnswer(line);
  if (typed.kind === 'evidence') return { kind: 'not-an-answer' };
  const open = await deps.checkins.openFor(caller.teamId, caller.userId);
  if (!open || open.cursor >= open.total) return { kind: 'not-an-answer' };
  if (typed.kind === 'rating') return await answer(deps, caller, open.id, open.version, typed.rating);
  if (await expireIfDue(deps, open)) return { kind: 'not-an-answer' };
  const view = await questionView(deps, open);
  return view ? { kind: 'ambiguous', candidates: typed.candidates, view } : { kind: 'not-an-answer' };
}

export type ChangeOutcome =
  | {
      kind: 'changed';
      question: Question;
      rating: Rating;
      evidence: string[];
      checkin: CheckinRecord;
      /** The summary again, when the check-in was already finished. */
      result?: SummaryView;
    }
  /** Shared with the manager: the answers are what the manager saw. */
  | { kind: 'shared'; managerId: string }
  | { kind: 'closed' };

/** The question a Change button belongs to, to ask again; null when it can no longer change. */
export async function changeTarget(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  position: number,
): Promise<{ checkin: CheckinRecord; question: Question; rating?: Rating } | { shared: string } | null> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return null;
  if (checkin.sharedWith) return { shared: checkin.sharedWith };
  const detail = await deps.checkins.detail(caller.teamId, id);
  const question = detail?.questions[position];
  if (!detail || !question || position >= checkin.cursor) return null;
  if (checkin.status !== 'open' && checkin.status !== 'finished') return null;
  return question.rating
    ? { checkin, question: stripRating(question), rating: question.rating }
    : { checkin, question: stripRating(question) };
}

/** Change: another answer to a question already answered, until the summary is shared. */
export async function changeAnswer(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  position: number,
  rating: Rating,
): Promise<ChangeOutcome> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return { kind: 'closed' };
  if (checkin.sharedWith) return { kind: 'shared', managerId: checkin.sharedWith };
  if (checkin.status === 'open' && (await expireIfDue(deps, checkin))) return { kind: 'closed' };
  const applied = await decideOn(deps, checkin, { kind: 'change', position, rating, at: at(deps) });
  if (!applied.transition.ok || !applied.checkin) return { kind: 'closed' };
  const detail = (await deps.checkins.detail(caller.teamId, id)) as CheckinDetail;
  const changed: ChangeOutcome = {
    kind: 'changed',
    question: stripRating(detail.questions[position] as Question),
    rating,
    evidence: evidenceAt(detail, position),
    checkin: applied.checkin,
  };
  if (applied.checkin.status === 'finished') changed.result = await summaryOf(deps, detail);
  return changed;
}

export type AnswersOutcome = { kind: 'answers'; result: SummaryView } | { kind: 'none' };

/**
 * A check-in's answers and evidence (the View answers modal): the person's own, or one shared with the
 * caller. Nothing, and never which, otherwise.
 */
export async function answersOf(deps: CheckinDeps, caller: Caller, id: number): Promise<AnswersOutcome> {
  const checkin = await deps.checkins.get(caller.teamId, id);
  if (checkin?.status !== 'finished' || !(await allowed(deps, 'read-checkin-answers', caller, checkin)))
    return { kind: 'none' };
  return {
    kind: 'answers',
    result: await summaryOf(deps, (await deps.checkins.detail(caller.teamId, id)) as CheckinDetail),
  };
}

/**
 * A report's latest check-in shared with the caller (`/career team` and Home's View check-in): one indexed
 * read finds it. Nothing when none was shared with them, or they are no longer the manager of record.
 */
export async function latestSharedWithMe(deps: CheckinDeps, caller: Caller, reportId: string): Promise<AnswersOutcome> {
  const detail = await deps.checkins.latestShared(caller.teamId, reportId, caller.userId);
  if (!detail || !(await allowed(deps, 'read-checkin-answers', caller, detail))) return { kind: 'none' };
  return { kind: 'answers', result: await summaryOf(deps, detail) };
}

export type PauseOutcome = { kind: 'paused'; checkin: CheckinRecord; question: Question } | { kind: 'moved-on' };

/** Finish later: nothing is lost; `/career checkin` offers Continue. */
export async function finishLater(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  version: number,
): Promise<PauseOutcome> {
  const checkin = await own(deps, caller, id);
  if (!checkin) return { kind: 'moved-on' };
  const applied = await deps.checkins.apply(caller.teamId, id, { kind: 'finish-later', version, at: at(deps) });
  if (!applied.transition.ok || !applied.checkin) return { kind: 'moved-on' };
  const [asked] = await readAsked(deps, applied.checkin, [checkin.cursor]);
  return { kind: 'paused', checkin: applied.checkin, question: (asked as AskedQuestion).question };
}

export type EvidenceOutcome =
  | { kind: 'evidence'; question: Question; checkin: CheckinRecord }
  | { kind: 'no-open-checkin' }
  | { kind: 'closed' };

/**
 * Evidence for a question: from the Add evidence modal (`position` given) or a plain DM during a
 * check-in (the current question).
 */
export async function addEvidence(
  deps: CheckinDeps,
  caller: Caller,
  text: string,
  target?: { id: number; position: number },
): Promise<EvidenceOutcome> {
  const checkin = target
    ? await own(deps, caller, target.id)
    : await deps.checkins.openFor(caller.teamId, caller.userId);
  if (!checkin) return target ? { kind: 'closed' } : { kind: 'no-open-checkin' };
  if (await expireIfDue(deps, checkin)) return target ? { kind: 'closed' } : { kind: 'no-open-checkin' };
  const position = target?.position ?? checkin.cursor;
  const applied = await deps.checkins.apply(
    caller.teamId,
    checkin.id,
    { kind: 'evidence', position, at: at(deps) },
    text,
  );
  if (!applied.transition.ok || !applied.checkin) return { kind: 'closed' };
  const [asked] = await readAsked(deps, applied.checkin, [position]);
  const question = (asked as AskedQuestion).question;
  // It joins the log too, in the same unit: filed under the question's expectation, remembered as this check-in's.
  await deps.evidence.add({
    teamId: checkin.teamId,
    userId: checkin.userId,
    source: 'checkin',
    text,
    frameworkId: checkin.frameworkId,
    target: { levelId: question.levelId, expectationId: question.expectationId },
    checkinId: checkin.id,
    at: at(deps),
  });
  return { kind: 'evidence', question, checkin: applied.checkin };
}

async function summaryOf(deps: CheckinDeps, detail: CheckinDetail): Promise<SummaryView> {
  const previous = await deps.checkins.previousFinished(detail.teamId, detail.userId, detail.id, detail.finishedAt);
  return {
    checkin: detail,
    summary: summarize(
      detail.questions,
      detail.targetLevelId,
      previous?.finishedAt ? { finishedAt: previous.finishedAt, questions: previous.questions } : undefined,
    ),
    log: await deps.evidence.shownForCheckin(detail, LOG_SHOWN),
  };
}

export type ShareOutcome =
  | { kind: 'shared'; managerId: string; result: SummaryView; already: boolean }
  | { kind: 'no-manager' }
  | { kind: 'not-found' };

/** Share with my manager: the manager of record, now, sees this check-in (and only this one). */
export async function share(deps: CheckinDeps, caller: Caller, id: number): Promise<ShareOutcome> {
  const checkin = await own(deps, caller, id);
  if (checkin?.status !== 'finished') return { kind: 'not-found' };
  const managerId = (await deps.teammates.get(caller.teamId, caller.userId))?.managerId ?? null;
  if (!managerId) return { kind: 'no-manager' };
  const already = checkin.sharedWith === managerId;
  if (!already && !(await deps.checkins.share(caller.teamId, id, managerId, at(deps)))) return { kind: 'not-found' };
  const detail = (await readDetail(deps, caller.teamId, id)) as CheckinDetail;
  return { kind: 'shared', managerId, result: await summaryOf(deps, detail), already };
}

export type ReviewOutcome = { kind: 'review'; result: SummaryView } | { kind: 'not-shared' };

/** What the manager sees to rate (the same expectations); nothing unless shared with them. */
export async function forReview(deps: CheckinDeps, caller: Caller, id: number): Promise<ReviewOutcome> {
  const checkin = await deps.checkins.get(caller.teamId, id);
  if (!checkin || !(await allowed(deps, 'rate-checkin', caller, checkin))) return { kind: 'not-shared' };
  return {
    kind: 'review',
    result: await summaryOf(deps, (await readDetail(deps, caller.teamId, id)) as CheckinDetail),
  };
}

export type RateOutcome = { kind: 'rated'; result: SummaryView; teammateId: string } | { kind: 'not-shared' };

/** The manager's ratings, saved all at once; the teammate then sees both side by side. */
export async function rate(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  ratings: ReadonlyMap<number, Rating>,
): Promise<RateOutcome> {
  const checkin = await deps.checkins.get(caller.teamId, id);
  if (!checkin || !(await allowed(deps, 'rate-checkin', caller, checkin))) return { kind: 'not-shared' };
  if (!(await deps.checkins.rate(caller.teamId, id, caller.userId, ratings, at(deps)))) return { kind: 'not-shared' };
  const detail = (await readDetail(deps, caller.teamId, id)) as CheckinDetail;
  return { kind: 'rated', result: await summaryOf(deps, detail), teammateId: checkin.userId };
}

export interface HistoryEntry {
  id: number;
  finishedAt: string;
  levels: { levelNumber: number; levelTitle: string; levelName?: string }[];
  readiness: number | null;
  /** How the level readiness is measured against was answered: what the figure is made of. */
  target?: Pick<LevelCounts, 'consistently' | 'sometimes' | 'notYet'>;
  shared: boolean;
}

export type HistoryOutcome =
  | { kind: 'history'; entries: HistoryEntry[]; open: CheckinRecord | null }
  | { kind: 'no-record' };

/** `/career history`: the caller's finished check-ins, newest first. */
export async function history(deps: CheckinDeps, caller: Caller): Promise<HistoryOutcome> {
  const record = await deps.teammates.get(caller.teamId, caller.userId);
  if (!record) return { kind: 'no-record' };
  const entries = (await deps.checkins.finished(caller.teamId, caller.userId)).map((c): HistoryEntry => {
    nameQuestions(deps.catalog, c.frameworkId, c.questions);
    const s = summarize(c.questions, c.targetLevelId);
    const entry: HistoryEntry = {
      id: c.id,
      finishedAt: c.finishedAt as string,
      levels: s.levels.map(({ levelNumber, levelTitle, levelName }) => ({
        levelNumber,
        levelTitle,
        ...(levelName ? { levelName } : {}),
      })),
      readiness: s.readiness,
      shared: c.sharedAt !== null,
    };
    const target = s.levels.find((l) => l.levelId === s.targetLevelId);
    if (target)
      entry.target = { consistently: target.consistently, sometimes: target.sometimes, notYet: target.notYet };
    return entry;
  });
  return { kind: 'history', entries, open: await deps.checkins.openFor(caller.teamId, caller.userId) };
}

/**
 * Check-ins read per slice of the expiry job; the Slack half writes a slice in one transaction (a commit
 * waits for the disk, a few ms) and yields to the event loop between slices: fifty keep a slice short.
 */
export const EXPIRY_BATCH = 50;

/**
 * The maintenance step: expires the open check-ins idle for `expiryDays`, every one or (with `page`)
 * one slice of at most `page.limit` after `page.after`. `last` is the last one read: the next slice's
 * `after`, so one that cannot be expired never holds up the rest.
 */
export async function expireIdle(
  deps: Pick<CheckinDeps, 'checkins' | 'clock' | 'expiryDays'>,
  page?: { after: CheckinRecord | null; limit: number },
): Promise<{ expired: CheckinRecord[]; read: number; last: CheckinRecord | null }> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.expiryDays * 86_400_000).toISOString();
  const expired: CheckinRecord[] = [];
  const idle = await deps.checkins.openIdleSince(before, page);
  for (const checkin of idle) {
    const applied = await deps.checkins.apply(checkin.teamId, checkin.id, {
      kind: 'expire',
      now: now.toISOString(),
      expiryDays: deps.expiryDays,
    });
    if (applied.transition.ok && applied.checkin) expired.push(applied.checkin);
  }
  return { expired, read: idle.length, last: idle.at(-1) ?? null };
}

/** Check-ins claimed per slice of the idle-nudge job (as the expiry job's). */
export const NUDGE_BATCH = EXPIRY_BATCH;

/**
 * The idle nudge: claims (once, whichever instance asks) up to `limit` open check-ins that have been idle for a day
 * less than `expiryDays`, and not yet nudged since: each will expire within a day unless its owner goes on. Returns
 * them with the day each expires. Nothing when check-ins expire after a day or less (there is no day before).
 */
export async function claimIdleNudges(
  deps: Pick<CheckinDeps, 'checkins' | 'clock' | 'expiryDays'>,
  limit: number = NUDGE_BATCH,
): Promise<{ checkin: CheckinRecord; expiresAt: string }[]> {
  if (deps.expiryDays < 2) return [];
  const now = deps.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const claimed = await deps.checkins.claimIdleNudges(
    iso(now - deps.expiryDays * 86_400_000),
    iso(now - (deps.expiryDays - 1) * 86_400_000),
    iso(now),
    limit,
  );
  return claimed.map((checkin) => ({
    checkin,
    expiresAt: iso(Date.parse(checkin.lastActivityAt) + deps.expiryDays * 86_400_000),
  }));
}

/**
 * The question waiting for the person in their open check-in `id`, for a click on an old question:
 * it is shown again where they clicked, so nobody is pointed at a message that may never have
 * arrived. Only reads.
 */
export async function waiting(deps: CheckinDeps, caller: Caller, id: number): Promise<QuestionView | undefined> {
  const checkin = await own(deps, caller, id);
  return checkin?.status === 'open' ? await questionView(deps, checkin) : undefined;
}

/** The question an Add evidence button belongs to, while it is still the one being asked. */
export async function evidenceTarget(
  deps: CheckinDeps,
  caller: Caller,
  id: number,
  version: number,
): Promise<{ position: number; question: Question } | null> {
  const checkin = await own(deps, caller, id);
  if (checkin?.status !== 'open' || checkin.version !== version) return null;
  const [asked] = await readAsked(deps, checkin, [checkin.cursor]);
  return asked ? { position: checkin.cursor, question: asked.question } : null;
}
