import type { Mention } from '../commands/grammar.js';
import type { Problem } from '../commands/lookup.js';
import type { StateConflict } from '../ports/errors.js';
import type { TeammateStatus } from './model.js';
import type { NotATeammate } from './rules.js';

/**
 * Why the teammate service said no, as codes with the facts a reply needs. The words are the Slack
 * layer's (`src/slack/blocks/refusals.ts`); the service never writes a sentence.
 */
export type Refusal = { kind: 'refused' } & (
  | { code: 'set-own-level' }
  | { code: 'set-not-permitted'; user: Mention }
  | { code: 'read-not-permitted'; user: Mention }
  | { code: 'user-not-found'; user: Mention; role: PersonRole }
  | { code: 'not-a-teammate'; user: Mention; role: PersonRole; why: NotATeammate }
  | { code: 'slack-unavailable'; user: Mention }
  | { code: 'invalid-date'; input: string; error: string; command: DatedCommand }
  | { code: 'future-since'; date: string; today: string }
  | { code: 'own-manager' }
  | { code: 'no-record'; command: 'pause' | 'resume' }
  | { code: 'return-not-after-today'; date: string; today: string }
  | { code: 'state-conflict'; conflict: StateConflict; command: 'pause' | 'resume' }
  | { code: 'forget-not-permitted' }
  | { code: 'forget-target-not-left'; userId: string; status: TeammateStatus }
  /** `/career team @someone` by a caller who is neither that person nor an admin. */
  | { code: 'team-not-permitted' }
  /** Someone other than the person who asked pressed Confirm or Cancel on a preview. */
  | { code: 'pending-not-yours'; requestedBy: string }
  /** The preview was already confirmed or cancelled, or is more than a day old. */
  | { code: 'pending-gone' }
  /** The record changed after the preview was shown: the preview no longer says what would happen. */
  | { code: 'pending-outdated' }
  /** The framework/level words did not resolve: the lookup's own explanation. */
  | { code: 'lookup'; problem: Problem }
);

/** The role a looked-up person would take in the command. */
export type PersonRole = 'teammate' | 'manager';
export type DatedCommand = 'set' | 'pause';

/** A refusal without its `kind`, one member per code (so each code keeps its own fields). */
export type RefusalReason = Refusal extends infer R ? (R extends unknown ? Omit<R, 'kind'> : never) : never;

export function refused(reason: RefusalReason): Refusal {
  return { kind: 'refused', ...reason } as Refusal;
}
