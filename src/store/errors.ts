import type { z } from 'zod';
import { InvalidInputError } from '../ports/errors.js';

// The errors are the ports' contract (src/ports/errors.ts); re-exported for the stores and their callers.
export { InvalidInputError, type StateConflict, StateConflictError, TeammateNotFoundError } from '../ports/errors.js';

/** zod issues as `path: message`, the shape every InvalidInputError problem takes. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string[] {
  return issues.map((i) => `${prefix}${i.path.length > 0 ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`);
}

/** Parses with zod or throws InvalidInputError listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(what, describeIssues(result.error.issues));
}
