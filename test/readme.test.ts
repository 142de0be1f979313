import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { permissionTableMarkdown } from '../src/career/permissions.js';
import { CONFIG_VARIABLES } from '../src/config.js';
import { HELP_SECTIONS } from '../src/slack/blocks/help.js';

const readme = readFileSync('README.md', 'utf8');

describe('README stays true', () => {
  it('has the two-command quick start', () => {
    const quick = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
    const block = /```sh\n([\s\S]*?)```/.exec(quick)?.[1]?.trim().split('\n');
    expect(block).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('CI runs the README test command', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^(TZ=[\w/+-]+ )?npm test$/m);
  });

  it('documents every command that /career help lists', () => {
    for (const [usage] of HELP_SECTIONS.flatMap((g) => g.commands)) {
      const words = usage.replace(/\s*\[[^\]]*\]/g, '').trim();
      expect(readme, usage).toContain(`\`${words}`);
    }
  });

  it('contains the permission table exactly as the code enforces it', () => {
    expect(readme).toContain(permissionTableMarkdown());
  });

  it('documents every setting, as does .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of CONFIG_VARIABLES) {
      expect(readme, name).toContain(`\`${name}\``);
      expect(example, name).toContain(name);
    }
  });
});
