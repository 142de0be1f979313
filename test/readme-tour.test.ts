import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSandboxLines } from './support/sandbox.js';

/** The walk the README's tour shows, as typed: comments (#) and blank lines left out. */
const typed = readFileSync('docs/tour.txt', 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

/** The text blocks of the README's "A tour of the sandbox" section. */
function tourBlocks(): string[][] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## A tour of the sandbox'), readme.indexOf("## An admin's first day"));
  return [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').split('\n').filter(Boolean));
}

/** A printed line as compared: the sandbox pads rules with "─" to a width, which the README may cut. */
const normal = (line: string) => line.trim().replace(/[\s─]+$/, '');

/** Where each of `wanted` is found in `lines`, in order; -1 from the first one missing. */
function inOrder(wanted: readonly string[], lines: readonly string[]): { missing?: string } {
  let at = 0;
  for (const w of wanted) {
    const found = lines.indexOf(w, at);
    if (found < 0) return { missing: w };
    at = found + 1;
  }
  return {};
}

describe("the README's sandbox tour", () => {
  it('shows only lines the sandbox prints, in the order it prints them, for what docs/tour.txt types', {
    timeout: 60_000,
  }, async () => {
    const blocks = tourBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const lines = blocks.flat().filter((l) => l.trim() !== '…');
    const inputs = lines.filter((l) => l.startsWith('» ')).map((l) => l.slice(2));
    const shown = lines.filter((l) => !l.startsWith('» ')).map(normal);
    expect(inOrder(inputs, typed)).toEqual({});
    const { output, code } = await runSandboxLines(typed);
    expect(code).toBe(0);
    expect(inOrder(shown, output.split('\n').map(normal))).toEqual({});
  });
});
