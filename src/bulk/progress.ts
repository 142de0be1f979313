/**
 * A one-line progress bar for long terminal jobs, with an estimate of the time left at the pace so
 * far (waits included, so a rate-limited job's estimate grows while it waits). On a terminal it
 * redraws itself in place (`\r`) at most every `intervalMs`; anywhere else (a pipe, a CI log, a
 * file) it writes one line every `logIntervalMs` and a summary line at the end, so logs do not fill
 * with bars but a long job still shows it is alive.
 */
export interface Progress {
  /** Records how far the job is; cheap to call for every item. */
  update(done: number, total?: number): void;
  /** Replaces the bar with a summary line and ends it; `summary` replaces the default "label: done/total in 1.2 s". */
  finish(summary?: string): void;
  /** Writes a line of its own (a warning) without garbling the bar. */
  note(message: string): void;
  /** Milliseconds left at the pace so far; undefined until there is a pace to go by. */
  remainingMs(): number | undefined;
}

export interface ProgressOptions {
  /** Clock in milliseconds; defaults to performance.now. */
  now?: () => number;
  /** Least time between two redraws. */
  intervalMs?: number;
  /** Width of the bar itself, in characters. */
  width?: number;
  /** Off a terminal: least time between two progress lines (default a minute). */
  logIntervalMs?: number;
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
const DEFAULT_LOG_INTERVAL_MS = 60_000;
/** An estimate from the first second or the first item would swing wildly: wait for both. */
const MIN_ELAPSED_FOR_ESTIMATE_MS = 1_000;

function isTty(stream: ProgressStream): boolean {
  return stream.isTTY === true;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A duration as people say it: `45 s`, `12 min`, `2 h 10 min`, `3 days 4 h`; rounded up. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} days` : `${days} days ${hours % 24} h`;
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
  const logIntervalMs = options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS;
  const tty = isTty(stream);
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let done = 0;
  let finished = false;
  let drawn = false;
  let lastLog = started;

  const remainingMs = (): number | undefined => {
    const elapsed = now() - started;
    if (done <= 0 || done >= total || elapsed < MIN_ELAPSED_FOR_ESTIMATE_MS) return undefined;
    return ((total - done) * elapsed) / done;
  };
  const left = (): string => {
    const ms = remainingMs();
    return ms === undefined ? '' : `, about ${formatDuration(ms)} left`;
  };
  const fractionDone = (): number => (total > 0 ? Math.min(1, done / total) : 1);
  const line = (): string => {
    const fraction = fractionDone();
    const filled = Math.round(fraction * width);
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total}${left()}`;
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
      if (!tty && now() - lastLog >= logIntervalMs) {
        lastLog = now();
        stream.write(`${label}: ${done}/${total} (${Math.floor(fractionDone() * 100)}%)${left()}\n`);
      }
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
    remainingMs,
  };
}
