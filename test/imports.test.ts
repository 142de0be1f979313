import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module in src/ with the modules of src/ it imports (or re-exports from), types included. */
function importGraph(dir = 'src', graph = new Map<string, string[]>()): Map<string, string[]> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) importGraph(path, graph);
    else if (entry.name.endsWith('.ts')) {
      const text = readFileSync(path, 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)].map((m) =>
        normalize(join(dirname(path), (m[1] as string).replace(/\.js$/, '.ts'))),
      );
      graph.set(normalize(path), targets);
    }
  }
  return graph;
}

/** One cycle through `graph` if there is one, as the modules along it. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (module: string): string[] | undefined => {
    state.set(module, 'open');
    path.push(module);
    for (const next of graph.get(module) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(module, 'done');
    return undefined;
  };
  for (const module of graph.keys()) {
    if (state.has(module)) continue;
    const found = visit(module);
    if (found) return found;
  }
  return undefined;
}

/** Every module `from` reaches through its imports, itself excluded (type imports included). */
function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(from) ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

const under = (dir: string) => (module: string) => module.startsWith(normalize(`src/${dir}/`));

/**
 * The Slack adapter and what may build on it: the offline Slack and the sandbox (which run the real app against a
 * local fake), and the composition roots (main.ts, and jobs.ts, which composes the background jobs beside it).
 * Everything else (services, the domain, the stores) reaches Slack only through ports it defines itself, such as
 * the notifier port (src/notify/port.ts) and the directory (src/teammates/directory.ts).
 */
const MAY_IMPORT_SLACK = [under('slack'), under('offline-slack'), under('sandbox')];
const COMPOSITION_ROOTS = [normalize('src/main.ts'), normalize('src/jobs.ts')];

/**
 * The pure domain: rules that take plain data and `now` as parameters. None may reach storage, the database or
 * Slack, through any chain of imports, so each can be tested with literal cases and reused by any engine.
 */
const PURE_DOMAIN: readonly [string, string][] = [
  ['src/career', 'dates, windows, permissions and roles: the career rules every layer asks'],
  ['src/frameworks', 'the framework model, its schema and the level lookups, loaded from files'],
  ['src/checkins/machine.ts', 'the check-in state machine: which question comes next, what a transition allows'],
  ['src/teammates/rules.ts', 'who counts as a teammate, what Slack telling us about a person means, ended pauses'],
  ['src/teammates/model.ts', "the teammate entities themselves: the stores' rows are mapped to these"],
  ['src/growth/weekly.ts', 'when a weekly channel post or digest is due, and what it aggregates'],
  ['src/reminders/schedule.ts', 'delivery hours and which reminder comes next: the scheduling math'],
  ['src/evidence', 'the evidence log: its entries, the suggested expectation and the log grouped with its gaps'],
];
const IMPURE = [under('store'), under('db'), under('slack'), under('offline-slack')];

/** `importer → imported` for each import of src/slack/ from a module that may not make one. */
function slackImports(graph: Map<string, string[]>): string[] {
  return [...graph.keys()]
    .filter((m) => !MAY_IMPORT_SLACK.some((allowed) => allowed(m)) && !COMPOSITION_ROOTS.includes(m))
    .flatMap((m) => (graph.get(m) ?? []).filter(under('slack')).map((target) => `${m} → ${target}`));
}

/** `module → reached` for each store, database or Slack module a module of `path` (a file or folder) reaches. */
function impureReach(graph: Map<string, string[]>, path: string): string[] {
  const members = [...graph.keys()].filter((m) => m === normalize(path) || m.startsWith(normalize(`${path}/`)));
  if (members.length === 0) throw new Error(`${path}: no such module in src/ (the pure-domain list is out of date)`);
  return members.flatMap((m) =>
    [...reachable(graph, m)].filter((target) => IMPURE.some((impure) => impure(target))).map((t) => `${m} → ${t}`),
  );
}

/**
 * The services and the domain: they reach storage only through the ports they define (src/ports/: the repository
 * interfaces, the unit of work, the errors a repository throws), which the composition root fills with the stores
 * of an engine. A direct import of src/store/ or src/db/ from one of them, type imports included, ties the domain
 * to one implementation.
 */
const THROUGH_PORTS_DIRS = [
  'teammates',
  'checkins',
  'growth',
  'reminders',
  'scheduler',
  'career',
  'commands',
  'frameworks',
  'notify',
  'ports',
  'text',
];
const THROUGH_PORTS = THROUGH_PORTS_DIRS.map(under);
const STORAGE = [under('store'), under('db')];

/**
 * What the ports are written in: the domain's own model (entities, the check-in machine's events and outcomes, the
 * digest plan's records, dates) and the error codes. Nothing else, so a port never drags in an engine or a schema.
 */
const PORT_VOCABULARY = [
  'src/teammates/model.ts',
  'src/checkins/model.ts',
  'src/evidence/model.ts',
  'src/evidence/ask-model.ts',
  'src/checkins/machine.ts',
  'src/checkins/summary.ts',
  'src/growth/digest-plan.ts',
  'src/career/dates.ts',
  'src/errors.ts',
].map(normalize);

/** `importer → imported` for each import of src/store/ or src/db/ by a service, the domain or a port. */
function storageImports(graph: Map<string, string[]>): string[] {
  return [...graph.keys()]
    .filter((m) => THROUGH_PORTS.some((dir) => dir(m)))
    .flatMap((m) => (graph.get(m) ?? []).filter((t) => STORAGE.some((s) => s(t))).map((t) => `${m} → ${t}`));
}

/** `port → reached` for each module a port reaches, through any chain, that is neither a port nor the vocabulary. */
function portReach(graph: Map<string, string[]>): string[] {
  const ports = [...graph.keys()].filter(under('ports'));
  return ports.flatMap((m) =>
    [...reachable(graph, m)]
      .filter((t) => !under('ports')(t) && !PORT_VOCABULARY.includes(t))
      .map((t) => `${m} → ${t}`),
  );
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('only the Slack adapter, the offline Slack, the sandbox and the composition roots import src/slack/', () => {
    expect(slackImports(graph)).toEqual([]);
  });

  it.each(PURE_DOMAIN)('%s (%s) reaches no store, database or Slack module', (path) => {
    expect(impureReach(graph, path)).toEqual([]);
  });

  it('the services, the domain, the ports and src/text import nothing from src/store/ or src/db/', () => {
    expect(storageImports(graph)).toEqual([]);
  });

  it.each(THROUGH_PORTS_DIRS)('src/%s reaches no store, database or Slack module through any chain either', (dir) => {
    expect(impureReach(graph, `src/${dir}`)).toEqual([]);
  });

  it('src/ports reaches nothing but other ports and the domain model they are written in', () => {
    expect([...graph.keys()].filter(under('ports')).length).toBeGreaterThan(5);
    expect(portReach(graph)).toEqual([]);
  });

  it('a service importing a store, or a port reaching the database through the model, would be found', () => {
    const m = (path: string) => normalize(path);
    const fake = new Map([
      [m('src/teammates/service.ts'), [m('src/ports/index.ts'), m('src/store/teammates.ts')]],
      [m('src/growth/tick.ts'), [m('src/db/sql.ts')]],
      [m('src/slack/home.ts'), [m('src/store/index.ts')]],
      [m('src/ports/index.ts'), [m('src/ports/teammates.ts')]],
      [m('src/ports/teammates.ts'), [m('src/teammates/model.ts')]],
      [m('src/teammates/model.ts'), [m('src/store/values.ts')]],
      [m('src/store/teammates.ts'), [m('src/ports/teammates.ts')]],
    ]);
    expect(storageImports(fake)).toEqual([
      `${m('src/teammates/service.ts')} → ${m('src/store/teammates.ts')}`,
      `${m('src/growth/tick.ts')} → ${m('src/db/sql.ts')}`,
      `${m('src/teammates/model.ts')} → ${m('src/store/values.ts')}`,
    ]);
    expect(portReach(fake)).toEqual([
      `${m('src/ports/index.ts')} → ${m('src/store/values.ts')}`,
      `${m('src/ports/teammates.ts')} → ${m('src/store/values.ts')}`,
    ]);
  });

  it('a service importing src/slack/, or the pure domain reaching src/store/ through a helper, would be found', () => {
    const m = (path: string) => normalize(path);
    const fake = new Map([
      [m('src/reminders/engine.ts'), [m('src/slack/blocks/kit.ts'), m('src/notify/port.ts')]],
      [m('src/jobs.ts'), [m('src/slack/services.ts')]],
      [m('src/slack/notifier.ts'), [m('src/slack/blocks/kit.ts')]],
      [m('src/teammates/rules.ts'), [m('src/teammates/helper.ts')]],
      [m('src/teammates/helper.ts'), [m('src/store/types.ts')]],
      [m('src/growth/weekly.ts'), [m('src/career/dates.ts')]],
    ]);
    expect(slackImports(fake)).toEqual([`${m('src/reminders/engine.ts')} → ${m('src/slack/blocks/kit.ts')}`]);
    expect(impureReach(fake, 'src/teammates/rules.ts')).toEqual([
      `${m('src/teammates/rules.ts')} → ${m('src/store/types.ts')}`,
    ]);
    expect(impureReach(fake, 'src/growth/weekly.ts')).toEqual([]);
  });
});

describe('the modules of src/', () => {
  it('import each other without a cycle (type imports included)', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('a cycle would be found', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(graph)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});
