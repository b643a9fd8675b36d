/** Small helpers of retrieval (src/qa/retrieval.ts): sparse vectors, word pairs, edit distance. */

/** Adjacent pairs of content words, as features "a_b". */
export function bigrams(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < terms.length; i++) out.push(`${terms[i - 1]}_${terms[i]}`);
  return out;
}

export function withBigrams(tf: ReadonlyMap<string, number>, sequence: readonly string[], weight: number): Map<string, number> {
  const out = new Map(tf);
  if (weight > 0) for (const b of bigrams(sequence)) out.set(b, weight);
  return out;
}

export function vecNorm(v: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/** Appends `item` to the list kept under `key`, creating the list on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key) ?? [];
  list.push(item);
  map.set(key, list);
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}
