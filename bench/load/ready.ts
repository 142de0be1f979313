/**
 * "Start to ready": the wall time from spawning the real app in HTTP mode (against a fake Slack Web API on 127.0.0.1
 * and a SQLite file) to the first 200 from GET /healthz, polled every 2 ms. Two ways of starting it:
 *
 * - built: `node --enable-source-maps <out>/src/main.js`, what `npm start` runs on dist/. The benchmark builds its
 *   own copy of the current sources into bench/out/build/ first (tsc -p tsconfig.build.json --noCheck: the same
 *   emit as `npm run build`, without the type check), rather than use dist/, which other work may be rebuilding;
 * - from source: `node --import tsx src/main.ts`, as in development.
 *
 * Next to each, its floor: a plain node:http server (bench/load/hello.mjs) started the same way. The difference is
 * what Ripple's own start adds (loading its modules and Bolt's, the frameworks, the database).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';

export interface ReadyOptions {
  /** Starts of each program; the first may pay for cold caches (disk, tsx's), so every sample is kept. */
  runs: number;
  root: string;
}

export interface ReadySide {
  label: string;
  command: string;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
}

export interface ReadyPair {
  ripple: ReadySide;
  floor: ReadySide;
}

export interface ReadyResult {
  /** null when the build failed (see builtSkipped). */
  built: ReadyPair | null;
  /** Why the build was not measured. */
  builtSkipped: string | null;
  source: ReadyPair;
  targetMs: number;
}

const TARGET_MS = 1000;
const GIVE_UP_MS = 20_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The developer's shell may hold Slack settings: the child gets exactly the ones given here. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(SLACK_|CAREER_|DATABASE_PATH|FRAMEWORKS_DIR|PORT|LOG_LEVEL|NODE_OPTIONS)/.test(k)) out[k] = v;
  }
  return { ...out, ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `node args`, and returns the ms until GET /healthz answered 200. */
async function timeToReady(root: string, args: string[], extraEnv: Record<string, string>): Promise<number> {
  const port = await freePort();
  let stderr = '';
  const start = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: env({ ...extraEnv, PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - start;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`node ${args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - start > GIVE_UP_MS)
        throw new Error(`node ${args.join(' ')} not ready in time: ${stderr}`);
      await sleep(2);
    }
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function side(label: string, args: string[], samplesMs: number[]): ReadySide {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    label,
    command: `node ${args.join(' ')}`,
    samplesMs,
    medianMs: sorted[sorted.length >> 1] as number,
    minMs: sorted[0] as number,
  };
}

/**
 * Compiles the current sources as `npm run build` does, into `outDir` (not dist/: other work may be rebuilding it).
 * Returns the path of main.js relative to `root`, or throws with tsc's output.
 */
function buildInto(root: string, outDir: string): string {
  rmSync(join(root, outDir), { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--noCheck'], {
      cwd: root,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (err) {
    const out = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${out.stdout ?? ''}${out.stderr ?? ''}`.trim() || out.message);
  }
  const main = join(outDir, 'src', 'main.js');
  if (!existsSync(join(root, main))) throw new Error(`the build has no ${main}`);
  return main;
}

export async function measureStartToReady(options: ReadyOptions): Promise<ReadyResult> {
  const { root } = options;
  let builtMain: string | null = null;
  let builtSkipped: string | null = null;
  try {
    builtMain = buildInto(root, join('bench', 'out', 'build'));
  } catch (err) {
    builtSkipped = `the build failed: ${(err as Error).message.slice(0, 500)}`;
  }
  const programs = [
    ...(builtMain
      ? [
          { key: 'built', args: ['--enable-source-maps', builtMain], ripple: true },
          { key: 'built-floor', args: ['bench/load/hello.mjs'], ripple: false },
        ]
      : []),
    { key: 'source', args: ['--import', 'tsx', 'src/main.ts'], ripple: true },
    { key: 'source-floor', args: ['--import', 'tsx', 'bench/load/hello.mjs'], ripple: false },
  ];
  const samples = new Map<string, number[]>(programs.map((p) => [p.key, []]));
  const api = await FakeSlackApi.start();
  const dir = mkdtempSync(join(tmpdir(), 'ripple-bench-ready-'));
  try {
    // One database file for every start: the first start creates and migrates it, as a first deploy would.
    const rippleEnv = {
      SLACK_BOT_TOKEN: 'xoxb-offline-bench',
      SLACK_SIGNING_SECRET: 'bench-start-to-ready-signing-secret',
      SLACK_API_URL: api.apiUrl,
      DATABASE_PATH: join(dir, 'career.db'),
      LOG_LEVEL: 'error',
    };
    // Round-robin, so a burst of load elsewhere on the machine lands on every program alike.
    for (let i = 0; i < options.runs; i++) {
      for (const p of programs) {
        samples.get(p.key)?.push(await timeToReady(root, p.args, p.ripple ? rippleEnv : {}));
      }
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sideOf = (key: string, label: string) => {
    const program = programs.find((p) => p.key === key) as (typeof programs)[number];
    return side(label, program.args, samples.get(key) ?? []);
  };
  return {
    built: builtMain
      ? {
          ripple: sideOf('built', 'Ripple, built (as npm start runs dist/)'),
          floor: sideOf('built-floor', 'floor: node:http, plain node'),
        }
      : null,
    builtSkipped,
    source: {
      ripple: sideOf('source', 'Ripple, from source with tsx'),
      floor: sideOf('source-floor', 'floor: node:http, tsx loader'),
    },
    targetMs: TARGET_MS,
  };
}

export function printStartToReady(result: ReadyResult): void {
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log();
  console.log('start to ready: spawn → first 200 on GET /healthz (polled every 2 ms), HTTP mode, SQLite file');
  const pairs = [result.built, result.source].filter((p): p is ReadyPair => p !== null);
  for (const pair of pairs) {
    for (const s of [pair.ripple, pair.floor]) {
      console.log(
        `  ${s.label.padEnd(37)} median ${fmt(s.medianMs).padStart(7)}  min ${fmt(s.minMs).padStart(7)}  ` +
          `runs ${s.samplesMs.map(fmt).join(', ')}   (${s.command})`,
      );
    }
  }
  if (result.builtSkipped) console.log(`  the build was not measured: ${result.builtSkipped}`);
  const judged = result.built ?? result.source;
  const verdict = judged.ripple.medianMs < result.targetMs ? 'meets' : 'misses';
  console.log(
    `  ${judged.ripple.label}: ${fmt(judged.ripple.medianMs)}, ${fmt(judged.ripple.medianMs - judged.floor.medianMs)} ` +
      `above its floor; target under ${fmt(result.targetMs)}: ${verdict}`,
  );
}
