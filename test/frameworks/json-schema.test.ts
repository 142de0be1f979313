import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildFrameworkJsonSchema } from '../../src/frameworks/json-schema.js';

const SCHEMA_FILE = join('frameworks', 'framework.schema.json');

describe('frameworks/framework.schema.json', () => {
  it('matches the zod schema', () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(
      committed,
      `${SCHEMA_FILE} is out of date with src/frameworks/schema.ts: run \`npm run schema\` and commit the result`,
    ).toEqual(buildFrameworkJsonSchema());
  });

  it('is pretty-printed with a trailing newline, as `npm run schema` writes it', () => {
    const text = readFileSync(SCHEMA_FILE, 'utf8');
    expect(text, `run \`npm run schema\` to regenerate ${SCHEMA_FILE}`).toBe(
      `${JSON.stringify(buildFrameworkJsonSchema(), null, 2)}\n`,
    );
  });

  it('has a title and a description', () => {
    const schema = buildFrameworkJsonSchema() as { title?: unknown; description?: unknown; type?: unknown };
    expect(schema.title).toBe('Ripple career framework');
    expect(schema.description).toEqual(expect.any(String));
    expect(schema.type).toBe('object');
  });

  it('is referenced on the first line of every default framework file', () => {
    const files = readdirSync('frameworks').filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const firstLine = readFileSync(join('frameworks', file), 'utf8').split('\n')[0];
      expect(firstLine, file).toBe('# yaml-language-server: $schema=./framework.schema.json');
    }
  });

  it('accepts every default framework file, as an editor would check it', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    for (const file of readdirSync('frameworks').filter((f) => /\.ya?ml$/.test(f))) {
      const ok = validate(parse(readFileSync(join('frameworks', file), 'utf8')));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok, file).toBe(true);
    }
  });
});
