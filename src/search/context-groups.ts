/**
 * grep -C (upstream §8): within one file, each match widens to [i−N, i+N]; overlapping or adjacent ranges merge
 * into one group (ids restart per file); non-matching lines are `before` if a later match exists in the file,
 * else `after`. Context never crosses a file boundary.
 */

import type { Entry } from "../model/entry.ts";

export interface GrepHit {
  entry: Entry;
  file: string;
  /** Absent for real matches. */
  context?: "before" | "after";
  group: number;
}

export function contextGroups(file: string, entries: readonly Entry[], isMatch: readonly boolean[], n: number): GrepHit[] {
  const out: GrepHit[] = [];
  let lastMatch = -1;
  for (let i = isMatch.length - 1; i >= 0; i--) if (isMatch[i]) { lastMatch = i; break; }
  if (lastMatch < 0) return out;
  let group = 0;
  let emittedUpTo = -1;
  for (let i = 0; i < entries.length; i++) {
    if (!isMatch[i]) continue;
    const lo = Math.max(0, i - n, emittedUpTo + 1);
    const hi = Math.min(entries.length - 1, i + n);
    if (lo > emittedUpTo + 1 || group === 0) group++;
    for (let j = lo; j <= hi; j++) {
      if (j <= emittedUpTo) continue;
      const hit: GrepHit = { entry: entries[j]!, file, group };
      if (!isMatch[j]) hit.context = j < lastMatch ? "before" : "after";
      out.push(hit);
    }
    emittedUpTo = Math.max(emittedUpTo, hi);
  }
  return out;
}
