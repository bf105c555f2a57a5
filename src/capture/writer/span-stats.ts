/** Time range, line count and per-label-value counts of a run of entries: what an index line or frame record says. */

import type { Entry, Labels } from "../../model/entry.ts";
import { formatInstant } from "../timestamp.ts";

export class SpanStats {
  lines = 0;
  fromSec = Number.POSITIVE_INFINITY;
  fromNsec = 0;
  toSec = Number.NEGATIVE_INFINITY;
  toNsec = 0;
  // Counted per shared labels object; expanded to key → value → count only when an index line is written.
  readonly byLabels = new Map<Labels, number>();

  add(e: Entry): void {
    this.lines++;
    const s = e.sec;
    if (s < this.fromSec || (s === this.fromSec && e.nsec < this.fromNsec)) {
      this.fromSec = s;
      this.fromNsec = e.nsec;
    }
    if (s > this.toSec || (s === this.toSec && e.nsec > this.toNsec)) {
      this.toSec = s;
      this.toNsec = e.nsec;
    }
    this.byLabels.set(e.labels, (this.byLabels.get(e.labels) ?? 0) + 1);
  }

  merge(o: SpanStats): void {
    if (o.lines === 0) return;
    this.lines += o.lines;
    if (o.fromSec < this.fromSec || (o.fromSec === this.fromSec && o.fromNsec < this.fromNsec)) {
      this.fromSec = o.fromSec;
      this.fromNsec = o.fromNsec;
    }
    if (o.toSec > this.toSec || (o.toSec === this.toSec && o.toNsec > this.toNsec)) {
      this.toSec = o.toSec;
      this.toNsec = o.toNsec;
    }
    for (const [labels, n] of o.byLabels) this.byLabels.set(labels, (this.byLabels.get(labels) ?? 0) + n);
  }

  from(): string {
    return formatInstant(this.fromSec, this.fromNsec);
  }

  to(): string {
    return formatInstant(this.toSec, this.toNsec);
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
