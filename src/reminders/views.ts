import type { IsoDate } from '../career/dates.js';
import type { ReminderStage } from './schedule.js';

/**
 * What reminders say, as data: the engine decides it, and the Slack adapter words it
 * (src/slack/blocks/reminders.ts), so the engine never knows how a message is laid out.
 */

/** What a reminder says, decided by the engine. */
export interface ReminderView {
  stage: ReminderStage;
  /** The next step's titles, one per step where the path forks. */
  titles: readonly string[];
  opensOn: IsoDate;
  closesOn: IsoDate | null;
  /** The next step is a choice ("if the person chooses to increase influence"): gentler words. */
  optional: boolean;
  /** A few of the next level's expectations, for the heads-up. */
  expectations: readonly string[];
  /** Check-in prompts: which one this is (1 for the first, six weeks in). */
  cycle?: number;
}
