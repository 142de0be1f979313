import { ErrorCode, RippleError } from '../errors.js';

/**
 * Errors a repository throws on purpose: part of every port's contract, whatever the engine, and what the
 * services catch. Each leaves the database exactly as it was: input is checked before any write, and every
 * write that can fail half-way runs inside one transaction.
 */

/** The caller passed something that cannot be stored; `problems` says what and where. */
export class InvalidInputError extends RippleError {
  readonly code = ErrorCode.StoreInvalidInput;
  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${what}: ${problems.join('; ')}`);
    this.name = 'InvalidInputError';
  }
}

export class TeammateNotFoundError extends RippleError {
  readonly code = ErrorCode.StoreTeammateNotFound;
  constructor(
    readonly teamId: string,
    readonly userId: string,
  ) {
    super(`No teammate record for ${userId} in ${teamId}`);
    this.name = 'TeammateNotFoundError';
  }
}

export type StateConflict =
  | 'already-paused'
  | 'not-paused'
  | 'has-left'
  | 'overlapping-pause'
  | 'resume-before-pause'
  | 'use-pause'
  | 'checkin-open'
  /** A check-in's next state was decided from a version that has since moved on: it was not saved. */
  | 'checkin-stale'
  /** The message is already kept in the person's evidence log: kept once, edited after. */
  | 'evidence-exists';

/** The request is well-formed but does not fit the record's current state (resume when not paused). */
export class StateConflictError extends RippleError {
  readonly code = ErrorCode.StoreStateConflict;
  constructor(
    readonly conflict: StateConflict,
    message: string,
  ) {
    super(message);
    this.name = 'StateConflictError';
  }
}
