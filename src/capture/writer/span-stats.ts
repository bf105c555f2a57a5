/** Time range, line count and per-label-value counts of a run of entries: what an index line or frame record says. */

import type { Entry, Labels } from "../../model/entry.ts";
import { TimeRange } from "../time-range.ts";

export class SpanStats extends TimeRange {
  // Counted per shared labels object; expanded to key → value → count only when an index line is written.
  readonly byLabels = new Map<Labels, number>();

  add(e: Entry): void {
    this.count(e.sec, e.nsec);
    this.byLabels.set(e.labels, (this.byLabels.get(e.labels) ?? 0) + 1);
  }

  merge(o: SpanStats): void {
    this.mergeRange(o);
    for (const [labels, n] of o.byLabels) this.byLabels.set(labels, (this.byLabels.get(labels) ?? 0) + n);
  }

  labelCounts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [labels, n] of this.byLabels) {
      for (const k in labels) {
        const values = (out[k] ??= {});
        const v = labels[k]!;
        values[v] = (values[v] ?? 0) + n;
      }
    }
    return out;
  }
}
