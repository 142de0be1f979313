import { z } from 'zod';

/**
 * The shape of one framework file in `frameworks/`. This schema is the single source of truth:
 * the loader validates with it, the domain types are inferred from it, and
 * `frameworks/framework.schema.json` is generated from it (a test keeps the two in sync).
 */

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug such as "senior-engineer" (letters, digits and dashes)');

const text = z.string().trim().min(1, 'non-empty text');

/** One of the five points of the shared scale, 1 (narrowest) to 5 (widest). */
const scalePoint = z.int().min(1).max(5);

export const axisSchema = z
  .strictObject({
    scale: scalePoint.describe('1 to 5 on the shared scale'),
    text: text.describe('What this means at this level, in the words of the team'),
  })
  .describe('A position on one axis of growth (scope of influence, or ownership)');

export const expectationSchema = z.strictObject({
  id: slug.describe('Stable id: check-ins store ratings against it, so keep it when rewording the text'),
  text: text.describe('What a person at this level does'),
});

export const timeframeSchema = z
  .strictObject({
    min: z.int().min(0).describe('Fewest months expected before the next step'),
    max: z
      .int()
      .min(1)
      .optional()
      .describe('Most months expected; leave out for an open-ended window such as "2+ years"'),
    optional: z
      .boolean()
      .default(false)
      .describe('The next step is a choice, not an expectation ("if the person chooses to increase influence")'),
    to: slug.optional().describe('The next step this window leads to, when it is not every next step'),
    note: text.optional().describe('Anything a reader should know about the window'),
    assumed: z
      .boolean()
      .default(false)
      .describe('A default nobody on the team has confirmed yet: shown as such until the team reviews it'),
  })
  .refine((t) => t.max === undefined || t.max >= t.min, {
    message: 'max must be at least min',
    path: ['max'],
  })
  .describe('Expected time from this level to the next step: a guide, not a requirement, and not cumulative');

export const levelSchema = z.strictObject({
  number: z.int().min(1).max(99).describe('Position in the framework; unique within the file'),
  id: slug.describe('Stable id of the step: teammate records point at it, so keep it when retitling'),
  titles: z.array(text).min(1).describe('Title or titles held at this level'),
  track: text.optional().describe('The track this level belongs to, for frameworks with side tracks'),
  summary: text.optional().describe('One line that sums up the level'),
  scope: axisSchema.describe('Scope of influence: how far the ripple reaches'),
  ownership: axisSchema.describe('Ownership: how much responsibility the person holds for their area'),
  focus: text.describe('The one word to keep in mind at this level (Learning, Shipping, Results, ...)'),
  expectations: z.array(expectationSchema).min(1).describe('What a person at this level does'),
  timeframe: timeframeSchema.nullable().default(null).describe('Expected time to the next step; null for none'),
  next: z.array(slug).default([]).describe('Ids of the steps this level leads to; several when the path forks'),
});

export const frameworkSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to framework.schema.json, for editors'),
    id: slug.describe('Short id used in commands: /career level 3 <id>'),
    name: text.describe('Display name of the team or discipline'),
    aliases: z.array(z.string().trim().toLowerCase().min(1)).default([]).describe('Other words people type for it'),
    description: text.optional(),
    owners: z.array(text).default([]).describe('Who maintains this file (names or Slack handles)'),
    levels: z.array(levelSchema).min(1).describe('Levels in order, lowest first'),
  })
  .superRefine((fw, ctx) => {
    const numbers = new Map<number, number>();
    const ids = new Map<string, number>();
    const expectationIds = new Map<string, string>();
    fw.levels.forEach((level, i) => {
      const sameNumber = numbers.get(level.number);
      if (sameNumber !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'number'],
          message: `number ${level.number} is already used by levels[${sameNumber}]`,
        });
      } else numbers.set(level.number, i);
      const sameId = ids.get(level.id);
      if (sameId !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'id'],
          message: `id "${level.id}" is already used by levels[${sameId}]`,
        });
      } else ids.set(level.id, i);
      level.expectations.forEach((e, j) => {
        const where = expectationIds.get(e.id);
        if (where !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['levels', i, 'expectations', j, 'id'],
            message: `expectation id "${e.id}" is already used at ${where}`,
          });
        } else expectationIds.set(e.id, `levels[${i}].expectations[${j}]`);
      });
      if (i > 0 && level.number < (fw.levels[i - 1]?.number ?? 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'number'],
          message: `levels must be listed in increasing order of number (${level.number} comes after ${fw.levels[i - 1]?.number})`,
        });
      }
    });
    fw.levels.forEach((level, i) => {
      level.next.forEach((nextId, j) => {
        if (!ids.has(nextId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['levels', i, 'next', j],
            message: `no level has id "${nextId}" (known ids: ${[...ids.keys()].join(', ')})`,
          });
        } else if (nextId === level.id) {
          ctx.addIssue({ code: 'custom', path: ['levels', i, 'next', j], message: 'a level cannot lead to itself' });
        }
      });
      const tf = level.timeframe;
      if (tf && level.next.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'timeframe'],
          message: 'a timeframe needs a next step: add "next", or set timeframe to null',
        });
      }
      if (tf?.to !== undefined && !level.next.includes(tf.to)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'timeframe', 'to'],
          message: `"${tf.to}" is not one of this level's next steps (${level.next.join(', ') || 'none'})`,
        });
      }
    });
  });

export type FrameworkFile = z.input<typeof frameworkSchema>;
export type Framework = z.output<typeof frameworkSchema>;
export type Level = Framework['levels'][number];
export type Timeframe = NonNullable<Level['timeframe']>;
export type Expectation = Level['expectations'][number];
