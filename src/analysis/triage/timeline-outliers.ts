/**
 * Which of triage's buckets form the bulk of the capture and which lie far outside it (bulk-range.ts, the rule
 * inspect uses too). Outlying lines still count everywhere else — totals, signatures, talkers — but the timeline, its
 * chart and the windows cover the bulk: one 2009 line made upstream's timeline 9 million buckets long.
 */

import { findBulk } from "../../capture/bulk-range.ts";
import { formatInstantSeconds } from "../../capture/timestamp.ts";
import type { LabelValueTally } from "./triage-totals.ts";

export interface OutlierBuckets {
  lines: number;
  errors: number;
  /** Start of the first bucket. */
  fromSec: number;
  /** End of the last bucket. */
  toSec: number;
}

export interface TimelineOutliers {
  before: OutlierBuckets | null;
  after: OutlierBuckets | null;
}

export function timelineOutliers(
  buckets: ReadonlyMap<number, LabelValueTally>,
  bucketSec: number,
): { bulk: { fromSec: number; toSec: number } | null; outliers: TimelineOutliers | null } {
  const starts = [...buckets.keys()].sort((a, b) => a - b);
  const found = findBulk(starts.map((start) => ({ fromSec: start, toSec: start + bucketSec - 1, lines: buckets.get(start)!.lines })));
  if (found === null) return { bulk: null, outliers: null };
  const inside = starts.filter((_, i) => found.inside[i]);
  const side = (picked: number[]): OutlierBuckets | null => {
    if (picked.length === 0) return null;
    let lines = 0;
    let errors = 0;
    for (const start of picked) {
      lines += buckets.get(start)!.lines;
      errors += buckets.get(start)!.errors;
    }
    return { lines, errors, fromSec: picked[0]!, toSec: picked.at(-1)! + bucketSec };
  };
  const before = side(starts.filter((s) => s < inside[0]!));
  const after = side(starts.filter((s) => s > inside.at(-1)!));
  return { bulk: { fromSec: inside[0]!, toSec: inside.at(-1)! }, outliers: before || after ? { before, after } : null };
}

const time = (sec: number) => formatInstantSeconds({ sec, nsec: 0 });

function groupJson(g: OutlierBuckets) {
  return { lines: g.lines, error_lines: g.errors, from: time(g.fromSec), to: time(g.toSec) };
}

/** `outliers` of the JSON documents (triage, report): a logtap extension, present only when there are some. */
export function outliersJson(o: TimelineOutliers) {
  const out: Record<string, unknown> = { lines: (o.before?.lines ?? 0) + (o.after?.lines ?? 0), error_lines: (o.before?.errors ?? 0) + (o.after?.errors ?? 0) };
  if (o.before) out.before = groupJson(o.before);
  if (o.after) out.after = groupJson(o.after);
  return out;
}

const lines = (n: number) => `${n} ${n === 1 ? "line" : "lines"}`;

/** One sentence for summary.md and the HTML pages. */
export function outliersSentence(o: TimelineOutliers): string {
  const groups = [o.before && ["before", o.before], o.after && ["after", o.after]].filter((g): g is [string, OutlierBuckets] => Boolean(g));
  const total = groups.reduce((n, [, g]) => n + g.lines, 0);
  const errors = groups.reduce((n, [, g]) => n + g.errors, 0);
  const parts = groups.map(([side, g]) => `${lines(g.lines)} ${side} it (${time(g.fromSec)} — ${time(g.toSec)})`);
  return `${lines(total)} (${errors} errors) far from the rest are left out of the timeline: ${parts.join(", ")}`;
}
