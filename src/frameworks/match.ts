/** Small, pure text-matching helpers shared by the framework and title lookups. */

const ASCII = /^\p{ASCII}*$/u;

/** Lowercase, fold accents and punctuation to single spaces: "Head of …" → "head of". */
export function normalize(s: string): string {
  // Plain ASCII has no accents to fold: skip the (comparatively slow) Unicode decomposition.
  const folded = ASCII.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** How many words `normalize(s)` has: `"Head of …"` → 2, `"-"` → 0. */
export function wordCount(s: string): number {
  if (!ASCII.test(s)) {
    const q = normalize(s);
    return q ? q.split(' ').length : 0;
  }
  // ASCII: count the runs of letters and digits, without building the normalized text.
  let count = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20; // ASCII letters to lowercase
    const alnum = (lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (alnum && !inWord) count++;
    inWord = alnum;
  }
  return count;
}

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  // The last row can end above `max` even when its minimum did not: keep the bound promised above.
  return Math.min(prev[b.length] ?? max + 1, max + 1);
}

/**
 * The candidate closest to `query`, if it is close enough to be a plausible typo
 * (about one edit in three characters).
 */
export function closest(
  query: string,
  candidates: readonly string[],
  /** `candidates.map(normalize)`, when the caller keeps it. */
  normalized: readonly string[] = candidates.map(normalize),
): string | undefined {
  const q = normalize(query);
  if (!q) return undefined;
  let best: { word: string; d: number } | undefined;
  for (const [i, word] of candidates.entries()) {
    const limit = Math.max(1, Math.floor(Math.max(q.length, word.length) / 3));
    const d = editDistance(q, normalized[i] ?? normalize(word), limit);
    if (d <= limit && (!best || d < best.d)) best = { word, d };
  }
  return best?.word;
}
