/**
 * What the benchmarks that build synthetic companies share: a seeded generator (every size and every run gets the
 * same spread) and where people are.
 */

/** A deterministic generator (mulberry32): the same seed gives the same sequence on every machine. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x < 0) return value;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
}

/** Where people are: most in the Americas and Europe, some in Asia and Oceania, a few on the date line. */
export const ZONES: readonly (readonly [string | null, number])[] = [
  ['America/New_York', 16],
  ['America/Chicago', 7],
  ['America/Denver', 3],
  ['America/Los_Angeles', 11],
  ['America/Sao_Paulo', 5],
  ['America/Mexico_City', 3],
  ['Europe/London', 12],
  ['Europe/Paris', 7],
  ['Europe/Berlin', 6],
  ['Europe/Stockholm', 2],
  ['Africa/Lagos', 2],
  ['Asia/Kolkata', 8],
  ['Asia/Singapore', 3],
  ['Asia/Tokyo', 3],
  ['Asia/Shanghai', 2],
  ['Australia/Sydney', 3],
  ['Pacific/Auckland', 1],
  ['Pacific/Kiritimati', 0.2],
  ['Pacific/Pago_Pago', 0.2],
  [null, 4],
];
