/**
 * inspect's timeline (upstream §7): a bucket width chosen from the data's span, buckets aligned to the epoch, each
 * indexed span's lines spread evenly over the buckets it covers (remainder to the earliest). Frame records make
 * the spans ~1 MiB wide instead of a whole file, so the shape is much truer than upstream's per-file spread.
 * It covers the bulk of the data (bulk-range.ts); lines far outside it are counted as outliers instead.
 */

import type { OutlierGroup } from "../bulk-range.ts";

export interface TimelineBucket {
  /** Bucket start, seconds since the epoch. */
  sec: number;
  lines: number;
}

export interface Timeline {
  widthLabel: string;
  widthSec: number;
  buckets: TimelineBucket[];
  /** Lines far before/after the bulk, left out of the buckets; null when there are none. */
  outliers: { before: OutlierGroup | null; after: OutlierGroup | null } | null;
}

const MAX_BUCKETS = 10_080;

export function bucketWidth(spanSec: number): { widthSec: number; widthLabel: string } {
  if (spanSec < 2 * 3600) return { widthSec: 60, widthLabel: "1-min buckets" };
  if (spanSec < 12 * 3600) return { widthSec: 300, widthLabel: "5-min buckets" };
  if (spanSec < 3 * 86400) return { widthSec: 900, widthLabel: "15-min buckets" };
  if (spanSec < 7 * 86400) return { widthSec: 3600, widthLabel: "1-hour buckets" };
  // Upstream stopped at 4 hours, so a year took 2,190 buckets (73 rows); wider data stays a screenful.
  if (spanSec < 60 * 86400) return { widthSec: 14400, widthLabel: "4-hour buckets" };
  if (spanSec < 730 * 86400) return { widthSec: 86400, widthLabel: "1-day buckets" };
  return { widthSec: 7 * 86400, widthLabel: "1-week buckets" };
}

export function buildTimeline(
  spans: readonly { fromSec: number; toSec: number; lines: number }[],
  dataFromSec: number,
  dataToSec: number,
  outliers: Timeline["outliers"] = null,
): Timeline | null {
  if (spans.length === 0 || dataToSec < dataFromSec) return null;
  const { widthSec, widthLabel } = bucketWidth(dataToSec - dataFromSec);
  const first = Math.floor(dataFromSec / widthSec) * widthSec;
  const count = Math.min(MAX_BUCKETS, Math.floor(dataToSec / widthSec) - first / widthSec + 1);
  const buckets: TimelineBucket[] = Array.from({ length: count }, (_, i) => ({ sec: first + i * widthSec, lines: 0 }));
  for (const s of spans) {
    const lo = Math.max(0, Math.floor(s.fromSec / widthSec) - first / widthSec);
    const hi = Math.min(count - 1, Math.floor(s.toSec / widthSec) - first / widthSec);
    if (hi < lo) continue;
    const n = hi - lo + 1;
    const each = Math.floor(s.lines / n);
    let rest = s.lines - each * n;
    for (let b = lo; b <= hi; b++) buckets[b]!.lines += each + (rest-- > 0 ? 1 : 0);
  }
  return { widthLabel, widthSec, buckets, outliers };
}
