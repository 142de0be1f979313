import { z } from 'zod';
import { isValidTimeZone, parseIsoDate } from '../career/dates.js';
import { levelSchema } from '../frameworks/schema.js';
import type { ParsedTeammateChange, TeammateChange } from '../ports/teammates.js';
import { NUDGE_PREFERENCES, TEAMMATE_STATUSES } from './values.js';

/**
 * zod schemas for what the stores accept. The database has CHECK constraints too; these come first so
 * a caller gets a message naming the field instead of "CHECK constraint failed".
 */

/**
 * A Slack team or user id (T0123ABC, U0123ABC, W0123ABC), or a system actor in `changedBy` such as
 * 'slack:user_change'. Kept loose on purpose: Slack does not promise the id format.
 */
export const slackId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'a Slack id such as U0123ABCD (letters, digits, at most 64)');

/** Framework and level ids are the framework file's slugs; reuse its rule so the two cannot drift. */
export const slug = levelSchema.shape.id;

export const isoDate = z.string().superRefine((value, ctx) => {
  const parsed = parseIsoDate(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

/** Any ISO 8601 instant; stored normalized to UTC so stored timestamps sort as text. */
export const timestamp = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 timestamp such as 2026-01-15T09:30:00Z' })
  .transform((s) => new Date(s).toISOString());

export const note = z.string().trim().min(1, 'a note cannot be blank').max(1000, 'at most 1000 characters');

export const teammateStatus = z.enum(TEAMMATE_STATUSES);
export const nudgePreference = z.enum(NUDGE_PREFERENCES);

export const timeZone = z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Paris');

/**
 * One record to create or change; `managerId` left out keeps the stored manager. Held to the port's shape
 * (src/ports/teammates.ts, `TeammateChange`) both ways: what it accepts and what it gives.
 */
export const teammateChangeSchema = z
  .object({
    teamId: slackId,
    userId: slackId,
    frameworkId: slug,
    levelId: slug,
    since: isoDate,
    managerId: slackId.nullable().optional(),
    /** Left out: kept while the level stays the same, cleared when it changes. */
    title: z.string().trim().min(1, 'a title cannot be blank').max(100, 'at most 100 characters').nullable().optional(),
    changedBy: slackId,
    note: note.optional(),
    at: timestamp,
  })
  .refine((c) => c.managerId !== c.userId, {
    message: 'a person cannot be their own manager of record',
    path: ['managerId'],
  });

/** True when A and B are the same type, optional properties included (mutual assignability would miss one). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`: how a store's zod schema is held to its port's plain type, both ways. */
export type Holds<T extends true> = T;

export type TeammateChangeMatchesPort = [
  Holds<Same<z.input<typeof teammateChangeSchema>, TeammateChange>>,
  Holds<Same<z.output<typeof teammateChangeSchema>, ParsedTeammateChange>>,
];
