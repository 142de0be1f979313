import { formatLongDate, utcDateOf } from '../career/dates.js';
import type { EvidenceEntry } from './model.js';
import { type ExpectationChoice, groupByExpectation } from './rules.js';

/**
 * `/career brag` (issue 17, item 6): a person's year as a Markdown file they can keep, paste into a review or a
 * promotion document. Pure: the service gathers the data (their own, the last 12 months by the clock) and names the
 * people and levels; this writes the file. Everything a person typed is escaped, so no word of theirs can turn into
 * a heading, a list, a link or HTML.
 */

/** An expectation a level of the person's framework holds, with the level named ("Level 3 · Coordinator"). */
export interface BragChoice extends ExpectationChoice {
  levelLabel: string;
}

/** A level the file groups evidence under: the person's own, then each next one. */
export interface BragLevel {
  label: string;
  role: 'current' | 'next';
  choices: BragChoice[];
}

export interface BragCheckin {
  finishedAt: string;
  /** Null when every expectation of the level aimed for was skipped, or it asked only the person's own level. */
  readiness: number | null;
  /** The level readiness was measured for. */
  target: string | null;
  shared: boolean;
}

export interface BragLevelChange {
  at: string;
  from: string | null;
  to: string;
}

export interface BragInput {
  /** The period, as ISO timestamps: after `from`, up to `to`. */
  from: string;
  to: string;
  /** "Marketing · Level 2 · Strategist since 2026-01-15". */
  record: string;
  levels: BragLevel[];
  /** The person's entries kept in the period, newest first. */
  evidence: EvidenceEntry[];
  /** Where each entry came from, in words. */
  sourceWords: Record<EvidenceEntry['source'], string>;
  /** Names of the people who wrote saved messages or gave examples, by Slack id ("@chen"). */
  names: ReadonlyMap<string, string>;
  /** The person's own Slack id: their own words have no author line. */
  self: string;
  /** Oldest first. */
  checkins: BragCheckin[];
  /** Oldest first. */
  levelChanges: BragLevelChange[];
}

/**
 * Text made literal in Markdown: the characters CommonMark (and GitHub's tables and strikethrough) read anywhere are
 * backslash-escaped, and so are those that start a block at the start of a line (a heading, a quote, a list, a
 * setext underline); each line break becomes a hard break inside the same list item, its indentation dropped (four
 * spaces would start code).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .trimStart()
        .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
        .replace(/^([#+\-=])/, '\\$1')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .join('\\\n  ');
}

/** One line of words for a heading: a heading ends at its line. */
const headingText = (text: string) => escapeMarkdown(text.replace(/\s+/g, ' ').trim());

const day = (iso: string) => formatLongDate(utcDateOf(iso));

function entryLine(e: EvidenceEntry, input: BragInput): string {
  const parts = [`- ${day(e.createdAt)} · ${input.sourceWords[e.source]}: ${escapeMarkdown(e.text)}`];
  if (e.authorId && e.authorId !== input.self)
    parts.push(`  — ${escapeMarkdown(input.names.get(e.authorId) ?? 'a teammate')}`);
  if (e.note) parts.push(`  _Note:_ ${escapeMarkdown(e.note)}`);
  // NOTE: the store keeps only https permalinks; in angle brackets a link ends at its own end, whatever it holds.
  if (e.message?.permalink && /^https:\/\/[^\s<>]+$/.test(e.message.permalink))
    parts.push(`  [The message in Slack](<${e.message.permalink}>)`);
  return parts.join('\n');
}

/** The brag file: the record, evidence by expectation (own level, next), the rest, check-ins, level changes. */
export function bragMarkdown(input: BragInput): string {
  const out: string[] = [
    '# My year in Ripple',
    '',
    `_${day(input.from)} to ${day(input.to)}. Made for you from your own data: nobody else was sent it._`,
    '',
    `**Now:** ${escapeMarkdown(input.record)}`,
    '',
    '## Evidence by expectation',
  ];
  const choices = input.levels.flatMap((l) => l.choices);
  const grouped = groupByExpectation(input.evidence, choices);
  for (const level of input.levels) {
    out.push('', `### ${headingText(level.label)} (${level.role === 'current' ? 'your level' : 'next'})`);
    for (const choice of level.choices) {
      const group = grouped.groups.find((g) => g.choice === choice);
      out.push('', `#### ${headingText(choice.text)}`, '');
      if (group) out.push(...group.entries.map((e) => entryLine(e, input)));
      else out.push('_Nothing yet._');
    }
  }
  if (grouped.other.length > 0) {
    out.push('', '### Other evidence', '', '_For no expectation in particular, or for an earlier level._', '');
    out.push(...grouped.other.map((e) => entryLine(e, input)));
  }
  if (input.evidence.length === 0) out.push('', '_No evidence kept in this period._');

  out.push('', '## Check-ins', '');
  if (input.checkins.length === 0) out.push('_No finished check-ins in this period._');
  for (const c of input.checkins) {
    const readiness =
      c.readiness === null || c.target === null
        ? 'readiness not measured'
        : `readiness ${c.readiness}% for ${escapeMarkdown(c.target)}`;
    out.push(`- ${day(c.finishedAt)}: ${readiness}${c.shared ? ' (shared with your manager)' : ''}`);
  }
  const measured = input.checkins.filter((c) => c.readiness !== null);
  if (measured.length >= 2) {
    const delta = (measured.at(-1)?.readiness as number) - (measured[0]?.readiness as number);
    out.push(
      '',
      `_Over the period: ${delta === 0 ? 'steady' : delta > 0 ? `up ${delta} points` : `down ${-delta} points`}._`,
    );
  }

  out.push('', '## Level changes', '');
  if (input.levelChanges.length === 0) out.push('_No level change in this period._');
  for (const c of input.levelChanges)
    out.push(
      `- ${day(c.at)}: ${c.from ? `${escapeMarkdown(c.from)} → ` : ''}${escapeMarkdown(c.to)}${c.from ? '' : ' (first recorded)'}`,
    );
  return `${out.join('\n')}\n`;
}
