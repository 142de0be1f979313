import type { types } from '@slack/bolt';
import { USAGE } from '../../commands/grammar.js';
import type { LookupResult, Problem } from '../../commands/lookup.js';
import type { Catalog, Comparison, LevelRef } from '../../frameworks/catalog.js';
import {
  formatMonths,
  isNumbered,
  levelName,
  nextStepSentence,
  scaleDots,
  shortLevelName,
  trackPosition,
  tracksOf,
} from '../../frameworks/describe.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, escapeKeepingMentions } from '../mrkdwn.js';
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
  modal,
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

function axisField(name: string, axis: Level['scope']): string {
  return `*${name}*  ${scaleDots(axis.scale)}\n${esc(axis.text)}`;
}

/** The shared scales as a legend for the dots: the level's own sentence is the only one per axis. */
export const SCALE_LEGEND =
  'Dots place each axis on the shared 1–5 scales: influence from your own tasks (1) to the industry (5); ownership from learning (1) to fully responsible (5).';

/**
 * Where a level sits: "Level 3 of 5" (with "on the main track" only where there are several tracks),
 * "Level 1 of 2 on the Onboarding and Education track · entered from …", and past a fork, where no
 * number counts rungs, the steps it comes after ("After Senior Engineer or Senior Engineer II").
 */
export function positionLine(framework: Framework, level: Level): string {
  const at = trackPosition(framework.levels, level);
  const titles = (levels: readonly Level[]) => levels.map((l) => l.titles.join(' / '));
  if (at.main && !isNumbered(framework.levels, level)) {
    const before = titles(framework.levels.filter((l) => l.next.includes(level.id)));
    return before.length ? `After ${before.join(' or ')}` : `One of ${framework.name}'s levels`;
  }
  const oneTrack = tracksOf(framework.levels).length === 1;
  const track = at.main ? (oneTrack ? '' : ' on the main track') : ` on the ${at.name} track`;
  const from = at.enteredFrom.length ? ` · entered from ${titles(at.enteredFrom).join(', ')}` : '';
  return `Level ${at.index} of ${at.count}${track}${from}`;
}

/** The card for one level: what it means, what is expected, and where it leads. Each thing is said once. */
export function levelMessage(catalog: Catalog, framework: Framework, level: Level): Message {
  const next = catalog.nextSteps(framework, level);
  const previous = catalog.previousSteps(framework, level);
  const name = (l: Level) => levelName(framework.levels, l);
  const blocks: Block[] = [header(`${framework.name} · ${name(level)}`)];
  blocks.push(context(esc(positionLine(framework, level))));
  if (level.summary) blocks.push(section(`*${esc(level.summary)}*`));
  blocks.push(fields([axisField('Scope of influence', level.scope), axisField('Ownership', level.ownership)]));
  blocks.push(section(`*Focus:* ${esc(level.focus)}`));
  blocks.push(...sections('Expectations', bulletList(level.expectations.map((e) => e.text))));
  const heading = next.length > 1 ? 'Next steps (the path forks)' : 'Next step';
  blocks.push(section(`*${heading}:* ${esc(nextStepSentence(framework.levels, level, next))}`));
  const buttons = [...previous.map((l) => `◀ ${name(l)}`), ...next.map((l) => `${name(l)} ▶`)].map((text, i) =>
    levelButton(text, framework, [...previous, ...next][i] as Level, i),
  );
  blocks.push(...actions(buttons));
  blocks.push(
    context(
      `${SCALE_LEGEND} Timeframes are guides, not requirements, each from the step before; not everyone is expected to reach the top.`,
    ),
  );
  return {
    text: esc(
      `${framework.name} · ${name(level)}. Focus: ${level.focus}. ${heading}: ${nextStepSentence(framework.levels, level, next)}`,
    ),
    blocks,
  };
}

/** A level card as a modal (from the Home tab, where there is no message to update). */
export function levelModal(title: string, message: Message): types.ModalView {
  return modal({
    title,
    close: 'Close',
    // Buttons would need their own modal navigation; the card's text is what matters here.
    blocks: message.blocks.filter((b) => b.type !== 'actions').slice(0, LIMITS.modalBlocks),
  });
}

/** A framework's titles by track: the main track numbered, forks named, each side track with where it starts. */
function titleLines(framework: Framework): string[] {
  const lines: string[] = [];
  for (const track of tracksOf(framework.levels)) {
    const first = track.levels[0] as Level;
    const at = trackPosition(framework.levels, first);
    if (!at.main) {
      const from = at.enteredFrom.map((l) => esc(l.titles.join(' / '))).join(', ');
      lines.push(`_${esc(track.name ?? 'Side')} track${from ? `, entered from ${from}` : ''}:_`);
    }
    track.levels.forEach((l, i) => {
      const sameTrack = framework.levels.filter((n) => l.next.includes(n.id) && n.track === l.track);
      const fork =
        sameTrack.length > 1 ? ` → then ${sameTrack.map((n) => esc(n.titles.join(' / '))).join(' or ')}` : '';
      // Past a fork on the main track a number would count the file, not the rungs: a bullet instead.
      const mark = at.main && !isNumbered(framework.levels, l) ? '•' : `${i + 1}.`;
      lines.push(`${at.main ? '' : '    '}${mark} ${esc(l.titles.join(' / '))}${fork}`);
    });
  }
  return lines;
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
    .map((fw) => `${fw.name}: ${fw.levels.map((l) => l.titles.join(' / ')).join(', ')}`)
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
  const name = (l: Level) => levelName(framework.levels, l);
  const short = (l: Level) => shortLevelName(framework.levels, l);
  const blocks: Block[] = [header(`${framework.name}: ${short(lower)} → ${short(higher)}`)];
  blocks.push(context(`${esc(name(lower))}  →  ${esc(name(higher))}`));
  const change = (name: string, from: Level['scope'], to: Level['scope']) =>
    `*${name}*  ${scaleDots(from.scale)} → ${scaleDots(to.scale)}\n*Before:* ${esc(from.text)}\n*After:* ${esc(to.text)}`;
  blocks.push(section(change('Scope of influence', c.scope.from, c.scope.to)));
  blocks.push(section(change('Ownership', c.ownership.from, c.ownership.to)));
  blocks.push(
    fields([
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
  // Criteria are written per level: what is new is what the lower level does not already say.
  const before = new Set(lower.expectations.map((e) => e.text.trim().toLowerCase()));
  const added = c.adds.filter((e) => !before.has(e.text.trim().toLowerCase()));
  blocks.push(...sections(`New at ${esc(short(higher))}`, bulletList(added.map((e) => e.text))));
  blocks.push(
    ...actions([levelButton(name(lower), framework, lower, 0), levelButton(name(higher), framework, higher, 1)]),
  );
  return {
    text: esc(
      `${framework.name}: ${name(lower)} → ${name(higher)}. Scope ${c.scope.from.scale} → ${c.scope.to.scale}, ownership ${c.ownership.from.scale} → ${c.ownership.to.scale}.`,
    ),
    blocks,
  };
}

export function titleMatchesMessage(query: string, matches: readonly LevelRef[]): Message {
  const blocks: Block[] = [section(`More than one level is called *${esc(query)}*. Which one?`)];
  blocks.push(
    ...actions(
      matches.map(({ framework, level }, i) =>
        levelButton(`${framework.name} · ${levelName(framework.levels, level)}`, framework, level, i),
      ),
    ),
  );
  return { text: esc(`More than one level is called ${query}.`), blocks };
}

/**
 * Every error in one template: what was wrong · how to fix it · an example, then the usage line (said
 * once: when the usage is `/career help` itself, only that). People are named by mention, never by id.
 */
export function problemMessage(problem: Problem): Message {
  const lines = [`:warning: ${escapeKeepingMentions(problem.message)}`];
  if (problem.hint) lines.push(esc(problem.hint));
  if (problem.didYouMean) lines.push(`Did you mean *${esc(problem.didYouMean)}*?`);
  if (problem.didYouMeanCommand) lines.push(`Did you mean \`${esc(problem.didYouMeanCommand)}\`?`);
  if (problem.example) lines.push(`Example: \`${esc(problem.example)}\``);
  const blocks: Block[] = [section(lines.join('\n'))];
  if (problem.options?.length) blocks.push(...sections(undefined, bulletList(problem.options)));
  const help = '`/career help` lists every command.';
  if (problem.usage && problem.usage !== USAGE.help) blocks.push(context(`Usage: \`${esc(problem.usage)}\` · ${help}`));
  else blocks.push(context(help));
  const meant = problem.didYouMean ?? problem.didYouMeanCommand;
  const text = [problem.message, meant ? `Did you mean ${meant}?` : ''].filter(Boolean).join(' ');
  // The fallback is shown in notifications and parsed like mrkdwn: it is escaped too, mentions aside.
  return { text: escapeKeepingMentions(text), blocks };
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
