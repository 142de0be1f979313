import { z } from 'zod';
import { frameworkSchema } from './schema.js';

/**
 * The JSON Schema of a framework file, generated from the zod schema so the two never drift apart.
 * Editors use it (through the `# yaml-language-server: $schema=...` line) to complete and check the
 * YAML; `npm run schema` writes it to `frameworks/framework.schema.json`, and a test fails if the
 * committed file is stale. Refinements that JSON Schema cannot express (unique ids, known `next`
 * ids, levels in order) are still checked by the loader at start-up.
 */
export function buildFrameworkJsonSchema(): Record<string, unknown> {
  // `io: 'input'` describes what a person writes (keys with defaults are optional), not what the app holds.
  const generated = z.toJSONSchema(frameworkSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Ripple career framework',
    description:
      'One career framework for individual contributors: its levels, each with scope of influence, ownership, ' +
      'focus, expectations and the expected time to the next step. Generated from src/frameworks/schema.ts by ' +
      '`npm run schema`; do not edit by hand.',
    ...rest,
  };
}
