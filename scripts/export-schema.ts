/**
 * Writes frameworks/framework.schema.json from the zod schema (src/frameworks/schema.ts).
 * Run with `npm run schema` after changing the schema; test/frameworks/json-schema.test.ts fails until you do.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrameworkJsonSchema } from '../src/frameworks/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'frameworks', 'framework.schema.json');
writeFileSync(out, `${JSON.stringify(buildFrameworkJsonSchema(), null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), out) || out}`);
