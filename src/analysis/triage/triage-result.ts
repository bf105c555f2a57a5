/**
 * The triage result (upstream §11.2 steps 4–8) built from the merged counts, and its `--json` shape (§11.9).
 * Every ordering upstream left to chance is fixed (Q13): count descending, then name ascending.
 */

import type { CaptureInfo } from "../../capture/capture-info.ts";
import type { Metadata } from "../../capture/metadata.ts";
import { formatInstant, formatInstantSeconds, isZeroInstant, parseRfc3339, type Instant } from "../../capture/timestamp.ts";
import { correlate, type Correlation } from "./correlation.ts";
import { timelineOutliers, outliersJson, type TimelineOutliers } from "./timeline-outliers.ts";
import type { ErrorGroup, TriageTotals } from "./triage-totals.ts";
import { findWindows, type BucketCounts, type Window, type Windows } from "./windows.ts";

/** Upstream's cap: a week of one-minute buckets. */
export const MAX_TIMELINE_BUCKETS = 10_080;

export interface ErrorSignature {
  signature: string;
  count: number;
  firstSec: number;
  firstNsec: number;
  example: string;
}

export interface TalkerRow {
  value: string;
  lines: number;
  errors: number;
}

export interface TriageResult {
  dir: string;
  metadata: Metadata;
  bucketSec: number;
  timeline: BucketCounts[];
  /** The top `--top` signatures. */
  errors: ErrorSignature[];
  /** Per label key (sorted), values by lines descending, then errors descending, then value. */
  talkers: Map<string, TalkerRow[]>;
  windows: Windows;
  correlations: Correlation[];
  totalLines: number;
  errorLines: number;
  /** Metadata start/stop, else the first/last entry read. */
  start: Instant | null;
  stop: Instant | null;
  /** Buckets beyond MAX_TIMELINE_BUCKETS that were left out. */
  timelineCut: number;
  /** Lines far before/after the bulk, left out of the timeline and the windows; null when there are none. */
  outliers: TimelineOutliers | null;
}

function meaningful(text: string): Instant | null {
  const t = parseRfc3339(text);
  return t && !isZeroInstant(t) ? t : null;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `groups`: the error signatures grouped by template, ranked (TriageTotals.errorGroups). */
export function buildTriageResult(capture: CaptureInfo, dir: string, totals: TriageTotals, groups: readonly ErrorGroup[], opts: { bucketSec: number; top: number }): TriageResult {
  const w = opts.bucketSec;
  const timeline: BucketCounts[] = [];
  let timelineCut = 0;
  const { bulk, outliers } = timelineOutliers(totals.buckets, w);
  if (bulk !== null) {
    const first = bulk.fromSec;
    const count = (bulk.toSec - first) / w + 1;
    timelineCut = Math.max(0, count - MAX_TIMELINE_BUCKETS);
    for (let i = 0; i < Math.min(count, MAX_TIMELINE_BUCKETS); i++) {
      const start = first + i * w;
      const b = totals.buckets.get(start);
      timeline.push({ start, lines: b?.lines ?? 0, errors: b?.errors ?? 0 });
    }
  }
  const errors = groups.slice(0, opts.top).map((g) => ({ signature: g.signature, count: g.count, firstSec: g.firstSec, firstNsec: g.firstNsec, example: g.example }));
  const talkers = new Map<string, TalkerRow[]>();
  for (const key of [...totals.talkers.keys()].sort(byName)) {
    const rows = [...totals.talkers.get(key)!].map(([value, v]) => ({ value, lines: v.lines, errors: v.errors }));
    // Equal line counts: more errors first, then by name — the order of upstream's reference output (A.6).
    rows.sort((a, b) => b.lines - a.lines || b.errors - a.errors || byName(a.value, b.value));
    talkers.set(key, rows);
  }
  // A signature first seen in 2009 did not start this incident: windows look at the bulk only.
  const inBulk = (sec: number) => bulk !== null && sec >= bulk.fromSec && sec < bulk.toSec + w;
  const windows = findWindows(
    timeline,
    w,
    groups.map((g) => g.firstSec).filter(inBulk),
  );
  return {
    dir,
    metadata: capture.metadata,
    bucketSec: w,
    timeline,
    errors,
    talkers,
    windows,
    correlations: correlate(totals.services),
    totalLines: totals.lines,
    errorLines: totals.errors,
    start: meaningful(capture.metadata.started) ?? totals.from,
    stop: meaningful(capture.metadata.stopped) ?? totals.to,
    timelineCut,
    outliers,
  };
}

function windowJson(w: Window) {
  return { from: formatInstantSeconds({ sec: w.fromSec, nsec: 0 }), to: formatInstantSeconds({ sec: w.toSec, nsec: 0 }), description: w.description };
}

export function windowsJson(windows: Windows): Record<string, ReturnType<typeof windowJson>> {
  const out: Record<string, ReturnType<typeof windowJson>> = {};
  for (const key of ["peak_error", "incident_start", "steady_state"] as const) {
    const w = windows[key];
    if (w) out[key] = windowJson(w);
  }
  return out;
}

export function errorJson(e: ErrorSignature) {
  return { signature: e.signature, count: e.count, first_seen: formatInstant(e.firstSec, e.firstNsec), example: e.example };
}

/** The `--json` document: keys in upstream's order, empty lists and maps left out as Go's omitempty does. */
export function triageJson(r: TriageResult): Record<string, unknown> {
  const out: Record<string, unknown> = { dir: r.dir, metadata: r.metadata };
  if (r.timeline.length > 0) out.timeline = r.timeline.map((b) => ({ time: formatInstantSeconds({ sec: b.start, nsec: 0 }), total_lines: b.lines, error_lines: b.errors }));
  if (r.outliers) out.outliers = outliersJson(r.outliers);
  if (r.errors.length > 0) out.errors = r.errors.map(errorJson);
  if (r.talkers.size > 0) {
    // No prototype: a label key "__proto__" must become a key, not a prototype.
    const talkers: Record<string, unknown> = Object.create(null);
    for (const [key, rows] of r.talkers) talkers[key] = rows.map((t) => ({ value: t.value, total_lines: t.lines, error_lines: t.errors }));
    out.talkers = talkers;
  }
  out.windows = windowsJson(r.windows);
  if (r.correlations.length > 0) out.correlations = r.correlations;
  out.total_lines = r.totalLines;
  out.error_lines = r.errorLines;
  return out;
}
