/**
 * A one-line progress bar for long terminal jobs. On a terminal it redraws itself in place (`\r`) at
 * most every `intervalMs`; anywhere else (a pipe, a CI log, a file) it stays silent until the end and
 * then writes one summary line, so logs do not fill with bars.
 */
export interface Progress {
  /** Records how far the job is; cheap to call for every item. */
  update(done: number, total?: number): void;
  /** Replaces the bar with a summary line and ends it; `summary` replaces the default "label: done/total in 1.2 s". */
  finish(summary?: string): void;
  /** Writes a line of its own (a warning) without garbling the bar. */
  note(message: string): void;
}

export interface ProgressOptions {
  /** Clock in milliseconds; defaults to performance.now. */
  now?: () => number;
  /** Least time between two redraws. */
  intervalMs?: number;
  /** Width of the bar itself, in characters. */
  width?: number;
}

/** Where the bar is drawn: process.stderr, any Writable, or a recorder in a test. */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal: the bar redraws itself in place. */
  isTTY?: boolean;
  /** The terminal's width: a longer line is cut to fit. */
  columns?: number;
}

const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_WIDTH = 30;

function isTty(stream: ProgressStream): boolean {
  return stream.isTTY === true;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(
  stream: ProgressStream,
  label: string,
  total: number,
  options: ProgressOptions = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const width = options.width ?? DEFAULT_WIDTH;
  const tty = isTty(stream);
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let done = 0;
  let finished = false;
  let drawn = false;

  const line = (): string => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total}`;
  };
  const draw = (): void => {
    // A line wider than the terminal wraps, and \r then redraws only its last part: cut it instead.
    const columns = typeof stream.columns === 'number' ? stream.columns : undefined;
    const text = columns ? line().slice(0, Math.max(1, columns - 1)) : line();
    // \x1b[K clears what a longer previous line left behind.
    stream.write(`\r${text}\x1b[K`);
    drawn = true;
    lastDraw = now();
  };

  return {
    update(value, newTotal) {
      if (finished) return;
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (tty && now() - lastDraw >= intervalMs) draw();
    },
    finish(summary) {
      if (finished) return;
      finished = true;
      const text = summary ?? `${label}: ${done}/${total} in ${formatSeconds(now() - started)}`;
      if (tty) {
        // The summary replaces the bar on the same line.
        stream.write(`\r${text}\x1b[K\n`);
      } else {
        stream.write(`${text}\n`);
      }
    },
    note(message) {
      if (tty && drawn && !finished) {
        stream.write(`\r\x1b[K${message}\n`);
        draw();
      } else {
        stream.write(`${message}\n`);
      }
    },
  };
}
