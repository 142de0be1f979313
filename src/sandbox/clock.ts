import type { Clock } from '../context.js';

/** The real clock, moved forward (or back) by an offset: the sandbox's "fast-forward". */
export class MovableClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}

  now(): Date {
    return new Date(this.base() + this.#offsetMs);
  }

  /** Moves time by whole days (negative goes back). */
  advanceDays(days: number): void {
    this.#offsetMs += days * 86_400_000;
  }

  /** Sets the clock to `instant` (it then runs on from there). */
  setTo(instant: Date): void {
    this.#offsetMs = instant.getTime() - this.base();
  }

  /** Jumps to the same time of day on `date` (YYYY-MM-DD, UTC). */
  jumpTo(date: string): void {
    const now = this.now();
    const target = new Date(`${date}T${now.toISOString().slice(11)}`);
    this.#offsetMs += target.getTime() - now.getTime();
  }
}

export type ClockCommand =
  | { kind: 'show' }
  | { kind: 'advance'; days: number }
  | { kind: 'jump'; date: string }
  | { kind: 'invalid' };

/** `/time`, `/time +30d`, `/time +2w`, `/time +1y`, `/time -1d`, `/time 2027-01-15`. */
export function parseClockCommand(args: string): ClockCommand {
  const a = args.trim().toLowerCase();
  if (a === '') return { kind: 'show' };
  const rel = /^([+-])\s*(\d{1,4})\s*(d|day|days|w|week|weeks|m|month|months|y|yr|year|years)?$/.exec(a);
  if (rel) {
    const n = Number(rel[2]) * (rel[1] === '-' ? -1 : 1);
    const unit = rel[3]?.[0] ?? 'd';
    return { kind: 'advance', days: unit === 'w' ? n * 7 : unit === 'm' ? n * 30 : unit === 'y' ? n * 365 : n };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(a) && !Number.isNaN(Date.parse(`${a}T00:00:00Z`))) return { kind: 'jump', date: a };
  return { kind: 'invalid' };
}
