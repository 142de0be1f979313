/**
 * The check-in state machine. Pure: a check-in's state and an event in, the next state and what
 * happened out. No Slack, no SQLite, no clock: times arrive in the events.
 *
 * Questions are asked in order, each once: `cursor` is the position of the question being asked,
 * so answering is always "the current question". `version` changes whenever what the person sees
 * changes (an answer, finish later, continue), and every button carries the version it was drawn
 * with: a click with another version is an old button, a double click, or a retry, and changes
 * nothing.
 */

export const RATINGS = ['not-yet', 'sometimes', 'consistently', 'skip'] as const;
export type Rating = (typeof RATINGS)[number];

export const CHECKIN_STATUSES = ['open', 'finished', 'expired', 'abandoned'] as const;
export type CheckinStatus = (typeof CHECKIN_STATUSES)[number];

/** One expectation as it was asked: a snapshot, so editing the framework later never rewrites it. */
export interface Question {
  /** 0-based order in the check-in. */
  position: number;
  levelId: string;
  levelNumber: number;
  levelTitle: string;
  /**
   * How the level is named when its number is not shown (a side track, past a fork: frameworks/describe
   * `isNumbered`). Not kept: set from the framework when the check-in is read, unset for a level gone from it.
   */
  levelName?: string;
  expectationId: string;
  text: string;
}

export interface CheckinState {
  status: CheckinStatus;
  version: number;
  /** Position of the question being asked; equals `total` once every question is answered. */
  cursor: number;
  total: number;
  /** ISO timestamp of the last thing the person did; expiry counts from here. */
  lastActivityAt: string;
}

export type CheckinEvent =
  | { kind: 'answer'; version: number; rating: Rating; at: string }
  | { kind: 'evidence'; position: number; at: string }
  /** A new answer to a question already answered (the Change button), before the summary is shared. */
  | { kind: 'change'; position: number; rating: Rating; at: string }
  | { kind: 'finish-later'; version: number; at: string }
  | { kind: 'continue'; at: string; version?: number }
  | { kind: 'start-over'; at: string }
  | { kind: 'expire'; now: string; expiryDays: number };

export type Effect =
  | { kind: 'answered'; position: number; rating: Rating; finished: boolean }
  | { kind: 'evidence'; position: number }
  | { kind: 'changed'; position: number; rating: Rating }
  | { kind: 'paused' }
  | { kind: 'continued' }
  | { kind: 'abandoned' }
  | { kind: 'expired' };

/**
 * Why an event changed nothing: `moved-on` (a button from another version), `closed` (the
 * check-in is finished, expired or abandoned), `no-such-question` (evidence for a question not yet
 * asked), `not-due` (expire before its time).
 */
export type Rejection = 'moved-on' | 'closed' | 'no-such-question' | 'not-due';

export type Transition = { ok: true; state: CheckinState; effect: Effect } | { ok: false; reason: Rejection };

const DAY_MS = 86_400_000;

/** A fresh check-in of `total` questions, started at `at`. */
export function initialState(total: number, at: string): CheckinState {
  return { status: total > 0 ? 'open' : 'finished', version: 1, cursor: 0, total, lastActivityAt: at };
}

/** True when an open check-in has had no activity for `expiryDays` days or more. */
export function isExpired(state: CheckinState, now: string, expiryDays: number): boolean {
  return state.status === 'open' && Date.parse(now) - Date.parse(state.lastActivityAt) >= expiryDays * DAY_MS;
}

export function transition(state: CheckinState, event: CheckinEvent): Transition {
  if (event.kind === 'change') return change(state, event);
  if (state.status !== 'open') return { ok: false, reason: 'closed' };
  switch (event.kind) {
    case 'answer': {
      if (event.version !== state.version) return { ok: false, reason: 'moved-on' };
      const position = state.cursor;
      const cursor = position + 1;
      const finished = cursor >= state.total;
      return {
        ok: true,
        state: {
          ...state,
          status: finished ? 'finished' : 'open',
          version: state.version + 1,
          cursor,
          lastActivityAt: event.at,
        },
        effect: { kind: 'answered', position, rating: event.rating, finished },
      };
    }
    case 'evidence':
      // Evidence may follow a question already answered (the modal stays open while the next one comes).
      if (!Number.isInteger(event.position) || event.position < 0 || event.position > state.cursor) {
        return { ok: false, reason: 'no-such-question' };
      }
      return {
        ok: true,
        state: { ...state, lastActivityAt: event.at },
        effect: { kind: 'evidence', position: event.position },
      };
    case 'finish-later':
      if (event.version !== state.version) return { ok: false, reason: 'moved-on' };
      return {
        ok: true,
        state: { ...state, version: state.version + 1, lastActivityAt: event.at },
        effect: { kind: 'paused' },
      };
    case 'continue':
      // A Continue button carries the version it was drawn with: a second click (or twenty) finds
      // it moved on, so the question is asked once. Without one, Continue always asks again.
      if (event.version !== undefined && event.version !== state.version) return { ok: false, reason: 'moved-on' };
      return {
        ok: true,
        state: { ...state, version: state.version + 1, lastActivityAt: event.at },
        effect: { kind: 'continued' },
      };
    case 'start-over':
      return {
        ok: true,
        state: { ...state, status: 'abandoned', version: state.version + 1 },
        effect: { kind: 'abandoned' },
      };
    case 'expire':
      if (!isExpired(state, event.now, event.expiryDays)) return { ok: false, reason: 'not-due' };
      return {
        ok: true,
        state: { ...state, status: 'expired', version: state.version + 1 },
        effect: { kind: 'expired' },
      };
  }
}

/**
 * Change: a question already answered gets another answer, in an open check-in (one before the
 * cursor) or a finished one (whether it was shared is the service's to check: the state does not
 * know). The version stays: the question being asked keeps its buttons.
 */
function change(state: CheckinState, event: Extract<CheckinEvent, { kind: 'change' }>): Transition {
  if (state.status !== 'open' && state.status !== 'finished') return { ok: false, reason: 'closed' };
  if (!Number.isInteger(event.position) || event.position < 0 || event.position >= state.cursor)
    return { ok: false, reason: 'no-such-question' };
  return {
    ok: true,
    state: state.status === 'open' ? { ...state, lastActivityAt: event.at } : state,
    effect: { kind: 'changed', position: event.position, rating: event.rating },
  };
}

/** A stored check-in as far as the machine needs it: its state, and when it finished. */
export interface StoredState extends CheckinState {
  finishedAt: string | null;
}

/**
 * What `event` does to the stored check-in `before`: the check-in to save (drawn from `before.version`:
 * saving it must be refused if the stored version has moved on) and `at`, the time of the event, for what
 * is written beside it (the answer, the evidence); or the rejection, with `before` unchanged.
 */
export type Outcome<R extends StoredState> =
  | { transition: Extract<Transition, { ok: true }>; checkin: R; at: string }
  | { transition: Extract<Transition, { ok: false }>; checkin: R };

export function applyEvent<R extends StoredState>(before: R, event: CheckinEvent): Outcome<R> {
  // The machine sees the state alone, so the transition it reports carries nothing else of the record.
  const { status, version, cursor, total, lastActivityAt } = before;
  const t = transition({ status, version, cursor, total, lastActivityAt }, event);
  if (!t.ok) return { transition: t, checkin: before };
  const at = event.kind === 'expire' ? event.now : event.at;
  // Only an open check-in moves, so it finishes here or not at all (the table CHECKs the pair); a change keeps
  // a finished one's time.
  const finishedAt = t.state.status === 'finished' ? (before.finishedAt ?? at) : null;
  return { transition: t, checkin: { ...before, ...t.state, finishedAt }, at };
}
