import { authorize } from '../career/permissions.js';
import type { Clock } from '../context.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { Framework } from '../frameworks/schema.js';
import type { Repos } from '../ports/index.js';
import type { Caller } from '../teammates/service.js';
import { ASK_CLOSED_KEPT_DAYS, type EvidenceAsk } from './ask-model.js';
import {
  type AskChoice,
  type AskSeenAs,
  askDueAt,
  askSeenAs,
  type ExpectationMatch,
  matchExpectation,
} from './ask-rules.js';
import type { EvidenceEntry } from './model.js';
import { expectationChoices } from './rules.js';

/**
 * "Ask for an example" (issue 17): a person asks a colleague for one sentence showing one expectation; the answer comes
 * back to them to keep or not. Each function is one step, given the repositories of the unit of work it runs in and
 * returning what happened for the Slack adapter to word; none talks to Slack.
 */

export interface AskDeps {
  catalog: Catalog;
  clock: Clock;
}

/** What the colleague is shown: who asked and the one expectation, in words. Never the level, record or evidence. */
export interface AskRequestView {
  askId: number;
  askerId: string;
  expectation: string;
  context: string | null;
}

/** What the person is shown of their ask. */
export interface AskLine {
  askId: number;
  /** The colleague, named only while the ask is theirs to answer or once they answered (see `askSeenAs`). */
  colleagueId: string | null;
  expectation: string;
  seenAs: AskSeenAs;
  createdAt: string;
}

/** An expectation's words, as the framework says them now (its id, should the framework have dropped it). */
export function expectationText(catalog: Catalog, frameworkId: string, levelId: string, expectationId: string): string {
  const framework = catalog.get(frameworkId);
  const level = framework ? catalog.levelById(framework, levelId) : undefined;
  return level?.expectations.find((e) => e.id === expectationId)?.text ?? expectationId;
}

async function ownChoices(deps: AskDeps, repos: Repos, caller: Caller) {
  const record = await repos.teammates.get(caller.teamId, caller.userId);
  const framework = record ? deps.catalog.get(record.frameworkId) : undefined;
  const level = record && framework ? deps.catalog.levelById(framework, record.levelId) : undefined;
  if (!record || !framework || !level) return undefined;
  return { record, framework, choices: expectationChoices(framework, { levelId: level.id }) };
}

export type TargetOutcome = { kind: 'no-record' } | { kind: 'unknown-expectation' } | { kind: 'ok'; choice: AskChoice };

/**
 * An expectation a button names, if it is one of the person's framework: the next and current level's are offered
 * (`/career evidence`, `/career ask`), and a check-in of a level the person named offers that level's.
 */
function frameworkChoice(
  deps: AskDeps,
  framework: Framework,
  target: { levelId: string; expectationId: string },
): AskChoice | undefined {
  const level = deps.catalog.levelById(framework, target.levelId);
  const expectation = level?.expectations.find((e) => e.id === target.expectationId);
  return level && expectation
    ? { levelId: level.id, expectationId: expectation.id, text: expectation.text }
    : undefined;
}

/** The expectation an "Ask for an example" button names, if it is one of the person's to ask about. */
export async function askTarget(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  target: { levelId: string; expectationId: string },
): Promise<TargetOutcome> {
  const own = await ownChoices(deps, repos, caller);
  if (!own) return { kind: 'no-record' };
  const choice = frameworkChoice(deps, own.framework, target);
  return choice ? { kind: 'ok', choice } : { kind: 'unknown-expectation' };
}

/** The expectation `/career ask @chen <words>` names, among the person's current and next level's. */
export async function findAskTarget(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  words: string,
): Promise<
  { kind: 'no-record' } | Exclude<ExpectationMatch, { kind: 'none' }> | { kind: 'none'; choices: AskChoice[] }
> {
  const own = await ownChoices(deps, repos, caller);
  if (!own) return { kind: 'no-record' };
  const match = matchExpectation(words, own.choices);
  // None: the reply lists what may be asked about.
  return match.kind === 'none' ? { kind: 'none', choices: own.choices } : match;
}

export type AskOutcome =
  | { kind: 'no-record' }
  | { kind: 'self' }
  | { kind: 'unknown-expectation' }
  | { kind: 'already'; colleagueId: string; expectation: string }
  | { kind: 'asked'; ask: EvidenceAsk; expectation: string; request: AskRequestView };

/**
 * Opens an ask: the person's own (`ask-colleague`), about an expectation of their framework, to someone
 * else, and not while an ask to that colleague about it is open. One write; the colleague's DM is sent after it.
 */
export async function createAsk(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  ask: { colleagueId: string; levelId: string; expectationId: string; context?: string | null },
): Promise<AskOutcome> {
  if (ask.colleagueId === caller.userId) return { kind: 'self' };
  const own = await ownChoices(deps, repos, caller);
  if (!own) return { kind: 'no-record' };
  const allowed = authorize('ask-colleague', { userId: caller.userId, isAdmin: false }, own.record);
  if (!allowed.allowed) return { kind: 'no-record' };
  const choice = frameworkChoice(deps, own.framework, ask);
  if (!choice) return { kind: 'unknown-expectation' };
  const now = deps.clock.now();
  const context = ask.context?.trim() || null;
  const opened = await repos.evidenceAsks.open({
    teamId: caller.teamId,
    userId: caller.userId,
    colleagueId: ask.colleagueId,
    frameworkId: own.framework.id,
    target: { levelId: choice.levelId, expectationId: choice.expectationId },
    context,
    at: now.toISOString(),
    dueAt: askDueAt(now),
  });
  if (!opened) return { kind: 'already', colleagueId: ask.colleagueId, expectation: choice.text };
  return {
    kind: 'asked',
    ask: opened,
    expectation: choice.text,
    request: { askId: opened.id, askerId: caller.userId, expectation: choice.text, context },
  };
}

/** Why a colleague's click changes nothing: not their ask to answer, or it is no longer waiting for them. */
export type ColleagueRefusal = { kind: 'not-yours' } | { kind: 'closed' };

/** The ask, when `caller` is the colleague asked (`answer-ask`); a refusal otherwise. */
async function askedOf(repos: Repos, caller: Caller, askId: number): Promise<EvidenceAsk | ColleagueRefusal> {
  const ask = Number.isSafeInteger(askId) ? await repos.evidenceAsks.get(caller.teamId, askId) : null;
  // NOTE: isAdmin is left false: only the `asked-colleague` condition opens this row, for an admin as for anyone.
  const target = { userId: ask?.userId ?? '', managerId: null, askedColleague: ask?.colleagueId ?? null };
  if (!ask || !authorize('answer-ask', { userId: caller.userId, isAdmin: false }, target).allowed)
    return { kind: 'not-yours' };
  return ask.status === 'asked' ? ask : { kind: 'closed' };
}

const isAsk = (x: EvidenceAsk | ColleagueRefusal): x is EvidenceAsk => 'id' in x;

/** "Write an example": what the answer form shows, if the ask still waits for this colleague. */
export async function answerForm(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  askId: number,
): Promise<ColleagueRefusal | { kind: 'open'; request: AskRequestView }> {
  const ask = await askedOf(repos, caller, askId);
  return isAsk(ask) ? { kind: 'open', request: requestOf(deps, ask) } : ask;
}

function requestOf(deps: AskDeps, ask: EvidenceAsk): AskRequestView {
  return {
    askId: ask.id,
    askerId: ask.userId,
    expectation: expectationText(deps.catalog, ask.frameworkId, ask.target.levelId, ask.target.expectationId),
    context: ask.context,
  };
}

/** The colleague's sentence: kept on the ask, for the person to keep or not; the person is sent it after this unit. */
export async function answerAsk(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  askId: number,
  text: string,
): Promise<ColleagueRefusal | { kind: 'answered'; ask: EvidenceAsk; expectation: string }> {
  const ask = await askedOf(repos, caller, askId);
  if (!isAsk(ask)) return ask;
  const now = deps.clock.now();
  const answered = await repos.evidenceAsks.answer(
    caller.teamId,
    ask.id,
    caller.userId,
    text,
    now.toISOString(),
    askDueAt(now),
  );
  if (!answered) return { kind: 'closed' };
  return { kind: 'answered', ask: answered, expectation: requestOf(deps, answered).expectation };
}

/** "Not this time": the colleague is done with it; the person is told nothing (see `askSeenAs`). */
export async function declineAsk(
  _deps: AskDeps,
  repos: Repos,
  caller: Caller,
  askId: number,
): Promise<ColleagueRefusal | { kind: 'declined'; askerId: string }> {
  const ask = await askedOf(repos, caller, askId);
  if (!isAsk(ask)) return ask;
  return (await repos.evidenceAsks.decline(caller.teamId, ask.id, caller.userId))
    ? { kind: 'declined', askerId: ask.userId }
    : { kind: 'closed' };
}

export type SettleOutcome =
  | { kind: 'not-yours' }
  /** Pressed before (or closed by itself): what became of it. */
  | { kind: 'already'; seenAs: AskSeenAs }
  | { kind: 'kept'; entry: EvidenceEntry; expectation: string }
  | { kind: 'discarded'; expectation: string };

/**
 * "Keep it" or "Don't keep", by the person who asked: the answer goes into their evidence log (source 'colleague', by
 * the colleague, for the expectation) in the same unit as the ask closes, or is dropped. Either way the ask keeps no
 * text. Once only: a second press says what became of it.
 */
export async function settleAnswer(
  deps: AskDeps,
  repos: Repos,
  caller: Caller,
  askId: number,
  choice: 'keep' | 'discard',
): Promise<SettleOutcome> {
  if (!Number.isSafeInteger(askId)) return { kind: 'not-yours' };
  const at = deps.clock.now().toISOString();
  const was = await repos.evidenceAsks.settle(
    caller.teamId,
    caller.userId,
    askId,
    choice === 'keep' ? 'kept' : 'discarded',
    at,
  );
  if (!was) {
    const ask = await repos.evidenceAsks.get(caller.teamId, askId);
    if (!ask || ask.userId !== caller.userId) return { kind: 'not-yours' };
    return { kind: 'already', seenAs: askSeenAs(ask.status) };
  }
  const expectation = requestOf(deps, was).expectation;
  if (choice === 'discard') return { kind: 'discarded', expectation };
  const entry = await repos.evidence.add({
    teamId: caller.teamId,
    userId: caller.userId,
    source: 'colleague',
    text: was.answer ?? '',
    frameworkId: was.frameworkId,
    target: was.target,
    authorId: was.colleagueId,
    at,
  });
  return { kind: 'kept', entry, expectation };
}

/** How many of their asks `/career asks` shows, newest first. */
export const ASKS_SHOWN = 20;

/**
 * The person's asks, newest first: waiting, answered, kept, not kept, or "no example came back" (declined and
 * unanswered alike, and then without the colleague's name).
 */
export async function listAsks(deps: AskDeps, repos: Repos, caller: Caller): Promise<AskLine[]> {
  const asks = await repos.evidenceAsks.page(caller.teamId, caller.userId, ASKS_SHOWN);
  return asks.map((ask) => {
    const seenAs = askSeenAs(ask.status);
    return {
      askId: ask.id,
      colleagueId: seenAs === 'no-example' ? null : ask.colleagueId,
      expectation: requestOf(deps, ask).expectation,
      seenAs,
      createdAt: ask.createdAt,
    };
  });
}

/** The cut-off before which a closed ask is deleted. */
export function closedAskCutOff(now: Date): string {
  return new Date(now.getTime() - ASK_CLOSED_KEPT_DAYS * 86_400_000).toISOString();
}
