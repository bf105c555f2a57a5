/**
 * The values a template's wildcard took where it replaced a word, with the lines of each: the evidence for
 * splitting a dominant value off again at the end (`client WindowsUpdateAgent.` in 608 lines and `client SPP.` in
 * one are two events; `user cyrus`, `news`, `test` in a third each are one). Bounded: the first MAX_VALUES values
 * are tallied one by one, later ones together.
 */

import { PatternStats } from "./pattern-stats.ts";

export const MAX_VALUES = 8;

export class ValueTally {
  readonly values = new Map<string, PatternStats>();
  /** Lines whose value is not among `values` (or unknown: a merged template that already had a wildcard here). */
  readonly other = new PatternStats();

  constructor(first: string, stats: PatternStats) {
    this.values.set(first, stats);
  }

  add(value: string, stats: PatternStats): void {
    const v = this.values.get(value);
    if (v !== undefined) v.merge(stats);
    else if (this.values.size < MAX_VALUES) this.values.set(value, stats.clone());
    else this.other.merge(stats);
  }

  addLine(value: string, sec: number, nsec: number, msg: string, service: string, weight: number): void {
    let v = this.values.get(value);
    if (v === undefined) {
      if (this.values.size < MAX_VALUES) this.values.set(value, (v = new PatternStats()));
      else v = this.other;
    }
    v.add(sec, nsec, msg, service, weight);
  }

  addUnknown(stats: PatternStats): void {
    this.other.merge(stats);
  }

  mergeTally(o: ValueTally): void {
    for (const [value, stats] of o.values) this.add(value, stats);
    this.other.merge(o.other);
  }

  copy(): ValueTally {
    const [[first, stats], ...rest] = this.values;
    const c = new ValueTally(first!, stats!.clone());
    for (const [v, st] of rest) c.values.set(v, st.clone());
    c.other.merge(this.other);
    return c;
  }

  /** The value with the most lines (the first tallied on a tie) and its stats. */
  top(): [string, PatternStats] {
    let best: [string, PatternStats] | null = null;
    for (const e of this.values) if (best === null || e[1].count > best[1].count) best = e;
    return best!;
  }
}
