/**
 * The whole capture's counts, merged from unit tallies **in plan order** (file order, then frame order). Merging in
 * that order whatever thread scanned a unit makes every result — first examples, ties, the signature cap — the
 * same for any `--jobs`.
 */

import type { TallyWire, SignatureTally } from "./unit-tally.ts";

export interface LabelValueTally {
  lines: number;
  errors: number;
}

export interface ServiceErrors {
  first: string;
  steps: Map<number, number>;
}

export class TriageTotals {
  lines = 0;
  errors = 0;
  /** Earliest/latest entry timestamp; null until a line was seen. */
  from: { sec: number; nsec: number } | null = null;
  to: { sec: number; nsec: number } | null = null;
  readonly buckets = new Map<number, LabelValueTally>();
  readonly signatures = new Map<string, SignatureTally>();
  readonly talkers = new Map<string, Map<string, LabelValueTally>>();
  readonly services = new Map<string, ServiceErrors>();
  /** Distinct signatures seen: exact unless `pruned`, then a lower bound. */
  distinctSignatures = 0;
  pruned = false;
  readonly #maxSignatures: number;

  constructor(maxSignatures: number) {
    this.#maxSignatures = maxSignatures;
  }

  absorb(w: TallyWire): void {
    this.lines += w.lines;
    this.errors += w.errors;
    if (w.span.length === 4) {
      const [fs, fn, ts, tn] = w.span as [number, number, number, number];
      if (this.from === null || fs < this.from.sec || (fs === this.from.sec && fn < this.from.nsec)) this.from = { sec: fs, nsec: fn };
      if (this.to === null || ts > this.to.sec || (ts === this.to.sec && tn > this.to.nsec)) this.to = { sec: ts, nsec: tn };
    }
    for (let i = 0; i < w.buckets.length; i += 3) {
      const b = this.buckets.get(w.buckets[i]!);
      if (b === undefined) this.buckets.set(w.buckets[i]!, { lines: w.buckets[i + 1]!, errors: w.buckets[i + 2]! });
      else {
        b.lines += w.buckets[i + 1]!;
        b.errors += w.buckets[i + 2]!;
      }
    }
    for (const [sig, count, sec, nsec, example] of w.signatures) {
      const t = this.signatures.get(sig);
      if (t === undefined) this.signatures.set(sig, { count, firstSec: sec, firstNsec: nsec, example });
      else {
        t.count += count;
        // Strictly earlier only: on equal timestamps the unit read first keeps its example.
        if (sec < t.firstSec || (sec === t.firstSec && nsec < t.firstNsec)) {
          t.firstSec = sec;
          t.firstNsec = nsec;
          t.example = example;
        }
      }
    }
    for (const [key, value, lines, errors] of w.talkers) {
      let values = this.talkers.get(key);
      if (values === undefined) this.talkers.set(key, (values = new Map()));
      const v = values.get(value);
      if (v === undefined) values.set(value, { lines, errors });
      else {
        v.lines += lines;
        v.errors += errors;
      }
    }
    for (const [name, first, steps] of w.services) {
      let s = this.services.get(name);
      if (s === undefined) this.services.set(name, (s = { first, steps: new Map() }));
      for (let i = 0; i < steps.length; i += 2) s.steps.set(steps[i]!, (s.steps.get(steps[i]!) ?? 0) + steps[i + 1]!);
    }
    this.distinctSignatures = Math.max(this.distinctSignatures, this.signatures.size);
    // Memory bound: messages the normaliser cannot fold (unique ids in free text) would otherwise keep one entry per
    // error line. Keeping twice the cap between prunes leaves the frequent signatures exact in practice.
    if (this.signatures.size > 2 * this.#maxSignatures) {
      this.pruned = true;
      this.#prune(this.#maxSignatures);
    }
  }

  /**
   * Keeps the `n` most frequent signatures without sorting (this runs often on high-cardinality captures): a count
   * threshold from a histogram, and among signatures at the threshold the ones met first — merge order is plan
   * order, so this is as deterministic as a sort by name.
   */
  #prune(n: number): void {
    const perCount = new Map<number, number>();
    for (const t of this.signatures.values()) perCount.set(t.count, (perCount.get(t.count) ?? 0) + 1);
    const counts = [...perCount.keys()].sort((a, b) => b - a);
    let above = 0;
    let threshold = 0;
    for (const c of counts) {
      threshold = c;
      if (above + perCount.get(c)! >= n) break;
      above += perCount.get(c)!;
    }
    let atThreshold = n - above;
    for (const [sig, t] of this.signatures) {
      if (t.count > threshold) continue;
      if (t.count === threshold && atThreshold > 0) atThreshold--;
      else this.signatures.delete(sig);
    }
  }

  /** Signatures by count (descending), then signature (ascending) — upstream's order had random ties (Q13). */
  rankedSignatures(): [string, SignatureTally][] {
    return [...this.signatures].sort(bySignatureRank);
  }

  /** Applies the final cap; returns how many distinct signatures there were (at least) when it had to cut. */
  capSignatures(): number | null {
    if (this.signatures.size <= this.#maxSignatures && this.distinctSignatures <= this.#maxSignatures) return null;
    this.#keepTop(this.#maxSignatures);
    return this.distinctSignatures;
  }

  #keepTop(n: number): void {
    const keep = this.rankedSignatures().slice(0, n);
    this.signatures.clear();
    for (const [sig, t] of keep) this.signatures.set(sig, t);
  }
}

export function bySignatureRank(a: [string, SignatureTally], b: [string, SignatureTally]): number {
  return b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}
