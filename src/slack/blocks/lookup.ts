import type { types } from '@slack/bolt';
import type { LookupResult, Problem } from '../../commands/lookup.js';
import type { Catalog, Comparison, LevelRef } from '../../frameworks/catalog.js';
import {
  describeTimeframe,
  formatMonths,
  INFLUENCE_SCALE,
  levelLabel,
  OWNERSHIP_SCALE,
  scaleDots,
} from '../../frameworks/describe.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, truncate } from '../mrkdwn.js';
import {
  actions,
  type Block,
  type Button,
  bulletList,
  button,
  context,
  fields,
  header,
  type Message,
  section,
  sections,
} from './kit.js';

/** Button action ids; the listener matches on the prefix, the suffix keeps ids unique in a message. */
export const ACTION = {
  viewLevel: 'career.level.view',
} as const;

export interface LevelButtonValue {
  f: string;
  l: string;
}

export function levelButton(text: string, framework: Framework, level: Level, index: number): Button {
  const value: LevelButtonValue = { f: framework.id, l: level.id };
  return button(text, `${ACTION.viewLevel}.${index}`, JSON.stringify(value));
}

function axisField(name: string, axis: Level['scope'], scale: Record<number, string>): string {
  return `*${name}*  ${scaleDots(axis.scale)}\n${esc(axis.text)}\n_${esc(scale[axis.scale] ?? '')}_`;
}

/** The card for one level: what it means, what is expected, and where it leads. */
export function levelMessage(catalog: Catalog, framework: Framework, level: Level): Message {
  const next = catalog.nextSteps(framework, level);
  const previous = catalog.previousSteps(framework, level);
  const timeframe = describeTimeframe(level, next);
  const blocks: Block[] = [header(`${framework.name} · ${levelLabel(level)}`)];
  const track = level.track ? ` · ${esc(level.track)} track` : '';
  blocks.push(context(`*${esc(framework.name)}*${track} · level ${level.number} of ${framework.levels.length}`));
  if (level.summary) blocks.push(section(`*${esc(level.summary)}*`));
  blocks.push(
    fields([
      axisField('Scope of influence', level.scope, INFLUENCE_SCALE),
      axisField('Ownership', level.ownership, OWNERSHIP_SCALE),
    ]),
  );
  blocks.push(section(`*Focus:* ${esc(level.focus)}`));
  blocks.push(...sections('Expectations', bulletList(level.expectations.map((e) => e.text))));
  if (timeframe) {
    const notes = timeframe.notes.length ? `\n_${esc(timeframe.notes.join(' · '))}_` : '';
    blocks.push(section(`*${esc(timeframe.heading)}:* ${timeframe.value}${notes}`));
  }
  if (next.length > 0) {
    const heading = next.length > 1 ? 'Next steps (the path forks)' : 'Next step';
    blocks.push(...sections(heading, bulletList(next.map(levelLabel))));
  } else {
    blocks.push(section('*Next step:* none: this is the widest scope this framework describes.'));
  }
  const buttons = [...previous.map((l) => `◀ ${levelLabel(l)}`), ...next.map((l) => `${levelLabel(l)} ▶`)].map(
    (text, i) => levelButton(text, framework, [...previous, ...next][i] as Level, i),
  );
  blocks.push(...actions(buttons));
  blocks.push(
    context(
      'Timeframes are guides, not requirements, and each counts from the step before. Not everyone is expected to reach the top.',
    ),
  );
  const timeText = timeframe ? ` ${timeframe.heading}: ${timeframe.value}.` : '';
  return {
    text: esc(`${framework.name} ${levelLabel(level)}. Focus: ${level.focus}.${timeText}`),
    blocks,
  };
}

/** A level card as a modal (from the Home tab, where there is no message to update). */
export function levelModal(title: string, message: Message): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    // Buttons would need their own modal navigation; the card's text is what matters here.
    blocks: message.blocks.filter((b) => b.type !== 'actions').slice(0, LIMITS.modalBlocks),
  };
}

function titleLines(framework: Framework): string[] {
  return framework.levels.map((l) => {
    const track = l.track ? ` _(${esc(l.track)})_` : '';
    const entered = framework.levels.filter((p) => p.next.includes(l.id));
    const from =
      entered.length > 1 || (entered.length === 1 && entered[0]?.number !== l.number - 1)
        ? ` ← from ${entered.map((p) => esc(p.titles.join(' / '))).join(', ')}`
        : '';
    return `${l.number}. ${esc(l.titles.join(' / '))}${track}${from}`;
  });
}

export function titlesMessage(frameworks: readonly Framework[]): Message {
  const one = frameworks.length === 1 ? frameworks[0] : undefined;
  const blocks: Block[] = [header(one ? `${one.name} titles` : 'Titles by team')];
  for (const fw of frameworks) {
    blocks.push(...sections(one ? undefined : `${esc(fw.name)} (${fw.levels.length} levels)`, titleLines(fw)));
  }
  blocks.push(
    context('See one level with `/career level <number> <team>`, or type a title: `/career Staff Engineer`.'),
  );
  const text = frameworks
    .map((fw) => `${fw.name}: ${fw.levels.map((l) => `${l.number}. ${l.titles.join(' / ')}`).join(', ')}`)
    .join('\n');
  return { text: esc(text), blocks };
}

export function frameworksMessage(frameworks: readonly Framework[]): Message {
  const blocks: Block[] = [header('Career frameworks')];
  for (const fw of frameworks) {
    const aliases = fw.aliases.length ? ` · also: ${fw.aliases.map((a) => `\`${esc(a)}\``).join(', ')}` : '';
    const description = fw.description ? `\n${esc(fw.description)}` : '';
    blocks.push(section(`*${esc(fw.name)}* · \`${esc(fw.id)}\` · ${fw.levels.length} levels${aliases}${description}`));
  }
  blocks.push(context('Each team owns its file in `frameworks/`. Try `/career titles <team>`.'));
  return { text: esc(`Career frameworks: ${frameworks.map((f) => f.name).join(', ')}`), blocks };
}

export function compareMessage(c: Comparison): Message {
  const { framework, lower, higher } = c;
  const blocks: Block[] = [header(`${framework.name}: Level ${lower.number} → Level ${higher.number}`)];
  blocks.push(context(`${esc(levelLabel(lower))}  →  ${esc(levelLabel(higher))}`));
  const change = (name: string, from: Level['scope'], to: Level['scope']) =>
    `*${name}*\n${scaleDots(from.scale)} → ${scaleDots(to.scale)}\n${esc(to.text)}`;
  blocks.push(
    fields([
      change('Scope of influence', c.scope.from, c.scope.to),
      change('Ownership', c.ownership.from, c.ownership.to),
      `*Focus*\n${esc(lower.focus)} → ${esc(higher.focus)}`,
      c.path && c.typical
        ? `*Typical time*\n${formatMonths(c.typical.min, c.typical.max)} (${c.path.length - 1} step${c.path.length > 2 ? 's' : ''})`
        : `*Typical time*\n${c.path ? 'not given for every step' : 'not on one path'}`,
    ]),
  );
  if (c.path && c.path.length > 2) {
    blocks.push(context(`Path: ${c.path.map((l) => esc(l.titles[0] ?? String(l.number))).join(' → ')}`));
  } else if (!c.path) {
    blocks.push(context('These levels are on different tracks: neither leads to the other.'));
  }
  blocks.push(...sections(`What Level ${higher.number} expects`, bulletList(c.adds.map((e) => e.text))));
  blocks.push(
    ...actions([
      levelButton(`${levelLabel(lower)}`, framework, lower, 0),
      levelButton(`${levelLabel(higher)}`, framework, higher, 1),
    ]),
  );
  return {
    text: esc(
      `${framework.name}: ${levelLabel(lower)} → ${levelLabel(higher)}. Scope ${c.scope.from.scale} → ${c.scope.to.scale}, ownership ${c.ownership.from.scale} → ${c.ownership.to.scale}.`,
    ),
    blocks,
  };
}

export function titleMatchesMessage(query: string, matches: readonly LevelRef[]): Message {
  const blocks: Block[] = [section(`More than one level is called *${esc(query)}*. Which one?`)];
  blocks.push(
    ...actions(
      matches.map(({ framework, level }, i) =>
        levelButton(`${framework.name} · ${levelLabel(level)}`, framework, level, i),
      ),
    ),
  );
  return { text: esc(`More than one level is called ${query}.`), blocks };
}

export function problemMessage(problem: Problem): Message {
  const lines = [`:warning: ${esc(problem.message)}`];
  if (problem.didYouMean) lines.push(`Did you mean *${esc(problem.didYouMean)}*?`);
  const blocks: Block[] = [section(lines.join('\n'))];
  if (problem.options?.length) blocks.push(...sections(undefined, bulletList(problem.options)));
  if (problem.usage) blocks.push(context(`Usage: \`${esc(problem.usage)}\` · \`/career help\` lists everything.`));
  const text = [problem.message, problem.didYouMean ? `Did you mean ${problem.didYouMean}?` : '']
    .filter(Boolean)
    .join(' ');
  // The fallback is shown in notifications and parsed like mrkdwn: it is escaped too.
  return { text: esc(text), blocks };
}

/** Renders any lookup outcome. */
export function lookupMessage(catalog: Catalog, result: LookupResult): Message {
  switch (result.kind) {
    case 'level':
      return levelMessage(catalog, result.framework, result.level);
    case 'titles':
      return titlesMessage(result.frameworks);
    case 'frameworks':
      return frameworksMessage(result.frameworks);
    case 'compare':
      return compareMessage(result.comparison);
    case 'title-matches':
      return titleMatchesMessage(result.query, result.matches);
    case 'problem':
      return problemMessage(result);
  }
}
