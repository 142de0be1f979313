/**
 * "Start to ready": the wall time from spawning the real app (src/main.ts in HTTP mode, against a fake Slack Web API
 * on 127.0.0.1 and a SQLite file) to the first 200 from GET /healthz, polled every 2 ms. Next to it, the same for a
 * plain node:http server started the same way (bench/load/hello.ts): the part of the time that is Node and tsx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';

export interface ReadyOptions {
  /** Starts of each program; the first may pay for a cold tsx cache, so every sample is kept. */
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

export interface ReadyResult {
  ripple: ReadySide;
  floor: ReadySide;
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
    if (!/^(SLACK_|CAREER_|DATABASE_PATH|FRAMEWORKS_DIR|PORT|LOG_LEVEL)/.test(k)) out[k] = v;
  }
  return { ...out, ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `args` with `node`, and returns the ms until GET /healthz answered 200. */
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
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - start > GIVE_UP_MS) throw new Error(`${args.join(' ')} not ready in time: ${stderr}`);
      await sleep(2);
    }
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function side(label: string, command: string, samplesMs: number[]): ReadySide {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { label, command, samplesMs, medianMs: sorted[sorted.length >> 1] as number, minMs: sorted[0] as number };
}

export async function measureStartToReady(options: ReadyOptions): Promise<ReadyResult> {
  const api = await FakeSlackApi.start();
  const dir = mkdtempSync(join(tmpdir(), 'ripple-bench-ready-'));
  const rippleArgs = ['--import', 'tsx', 'src/main.ts'];
  const floorArgs = ['--import', 'tsx', 'bench/load/hello.ts'];
  const ripple: number[] = [];
  const floor: number[] = [];
  try {
    // One database file for every start: the first start creates and migrates it, as a first deploy would.
    const rippleEnv = {
      SLACK_BOT_TOKEN: 'xoxb-offline-bench',
      SLACK_SIGNING_SECRET: 'bench-start-to-ready-signing-secret',
      SLACK_API_URL: api.apiUrl,
      DATABASE_PATH: join(dir, 'career.db'),
      LOG_LEVEL: 'error',
    };
    // Alternate the two, so a burst of load elsewhere lands on both.
    for (let i = 0; i < options.runs; i++) {
      ripple.push(await timeToReady(options.root, rippleArgs, rippleEnv));
      floor.push(await timeToReady(options.root, floorArgs, {}));
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    ripple: side('Ripple (src/main.ts, HTTP mode)', `node ${rippleArgs.join(' ')}`, ripple),
    floor: side('floor: node:http server, same loader', `node ${floorArgs.join(' ')}`, floor),
    targetMs: TARGET_MS,
  };
}

export function printStartToReady(result: ReadyResult): void {
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log();
  console.log('start to ready: spawn → first 200 on GET /healthz (polled every 2 ms)');
  for (const s of [result.ripple, result.floor]) {
    console.log(
      `  ${s.label.padEnd(38)} median ${fmt(s.medianMs).padStart(7)}  min ${fmt(s.minMs).padStart(7)}  ` +
        `runs: ${s.samplesMs.map(fmt).join(', ')}   (${s.command})`,
    );
  }
  const verdict = result.ripple.medianMs < result.targetMs ? 'meets' : 'MISSES';
  console.log(
    `  Ripple adds ${fmt(result.ripple.medianMs - result.floor.medianMs)} to the floor; ` +
      `target under ${fmt(result.targetMs)}: ${verdict}`,
  );
}
