/**
 * The capture summary behind `logtap inspect` (upstream §7): index-only for indexed files (never decompressed),
 * full scans only for unindexed ones.
 */

import { readdirSync } from "node:fs";
import { dataFileStats } from "../data-file-stats.ts";
import type { CaptureInfo } from "../capture-info.ts";
import { isDataFileName } from "../data-files.ts";
import type { ReadProblem } from "../reader/read-problem.ts";
import { isZeroInstant, parseRfc3339, type Instant } from "../timestamp.ts";
import { scanOrphan } from "./orphan-scan.ts";
import { buildTimeline, type Timeline } from "./timeline.ts";
import { receiveWindows, TimeSpans } from "./time-spans.ts";

export interface LabelValueSummary {
  value: string;
  lines: number;
  bytes: number;
}

export interface InspectSummary {
  capture: CaptureInfo;
  files: number;
  diskSize: number;
  totalLines: number;
  totalBytes: number;
  dataFrom: Instant | null;
  dataTo: Instant | null;
  effectiveStart: Instant | null;
  effectiveStop: Instant | null;
  linesPerSec: number;
  labels: Map<string, LabelValueSummary[]>;
  timeline: Timeline | null;
  problems: ReadProblem[];
}

function earlier(a: Instant, b: Instant): boolean {
  return a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);
}

function meaningful(text: string | undefined): Instant | null {
  const t = text ? parseRfc3339(text) : null;
  return t && !isZeroInstant(t) ? t : null;
}

export function summarize(capture: CaptureInfo): InspectSummary {
  const { dir, index } = capture;
  const problems: ReadProblem[] = [];
  const names = readdirSync(dir).filter(isDataFileName).sort();
  const { files, bytes: diskSize } = dataFileStats(dir);
  let totalLines = 0;
  let totalBytes = 0;
  let dataFrom: Instant | null = null;
  let dataTo: Instant | null = null;
  const widen = (from: Instant | null, to: Instant | null) => {
    if (from && (!dataFrom || earlier(from, dataFrom))) dataFrom = from;
    if (to && (!dataTo || earlier(dataTo, to))) dataTo = to;
  };
  const labelLines = new Map<string, Map<string, { lines: number; bytes: number }>>();
  const addLabel = (key: string, value: string, lines: number, bytes: number) => {
    let values = labelLines.get(key);
    if (!values) labelLines.set(key, (values = new Map()));
    const v = values.get(value) ?? { lines: 0, bytes: 0 };
    v.lines += lines;
    v.bytes += bytes;
    values.set(value, v);
  };
  const spans = new TimeSpans();
  const stopped = meaningful(capture.metadata.stopped);
  const windows = receiveWindows([...new Set([...names, ...index.map((e) => e.file)])].sort(), stopped?.sec ?? null);

  const indexed = new Set<string>();
  for (const e of index) {
    indexed.add(e.file);
    totalLines += e.lines;
    totalBytes += e.bytes;
    const from = meaningful(e.from);
    const to = meaningful(e.to);
    widen(from, to);
    for (const [key, values] of Object.entries(e.labels ?? {})) {
      for (const [value, count] of Object.entries(values)) addLabel(key, value, count, e.lines > 0 ? Math.floor((e.bytes * count) / e.lines) : 0);
    }
    const window = windows.get(e.file) ?? null;
    const add = (r: { from: string; to: string; lines: number }) => {
      const rf = meaningful(r.from);
      const rt = meaningful(r.to);
      if (rf && rt) spans.addIndexed({ fromSec: rf.sec, toSec: rt.sec, lines: r.lines }, window);
    };
    const frames = e.frames ?? [];
    if (frames.length > 0) for (const f of frames) (f.parts ?? [f]).forEach(add);
    else if (from && to) spans.addIndexed({ fromSec: from.sec, toSec: to.sec, lines: e.lines }, window);
  }
  for (const name of names) {
    if (indexed.has(name)) continue;
    const o = scanOrphan(dir, name, (p) => problems.push(p));
    totalLines += o.lines;
    totalBytes += o.bytes;
    if (o.stats.lines > 0) {
      widen({ sec: o.stats.fromSec, nsec: o.stats.fromNsec }, { sec: o.stats.toSec, nsec: o.stats.toNsec });
      for (const m of o.minutes.values()) spans.addScanned(m);
      for (const [key, values] of Object.entries(o.stats.labelCounts())) {
        for (const [value, count] of Object.entries(values)) addLabel(key, value, count, Math.floor((o.bytes * count) / o.lines));
      }
    }
  }

  const effectiveStart = meaningful(capture.metadata.started) ?? dataFrom;
  const effectiveStop = stopped ?? dataTo;
  let linesPerSec = 0;
  if (effectiveStart && effectiveStop) {
    const secs = effectiveStop.sec - effectiveStart.sec + (effectiveStop.nsec - effectiveStart.nsec) / 1e9;
    if (secs > 0) linesPerSec = totalLines / secs;
  }
  const labels = new Map<string, LabelValueSummary[]>();
  for (const key of [...labelLines.keys()].sort()) {
    const rows = [...labelLines.get(key)!].map(([value, v]) => ({ value, lines: v.lines, bytes: v.bytes }));
    // Upstream's order for equal counts was random (Q13): count descending, then value ascending.
    rows.sort((a, b) => b.lines - a.lines || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    labels.set(key, rows);
  }
  const from = dataFrom as Instant | null;
  const to = dataTo as Instant | null;
  const { bulk, plotted } = spans.resolve();
  let timeline: Timeline | null = null;
  if (from && to && bulk) {
    const outliers = bulk.before || bulk.after ? { before: bulk.before, after: bulk.after } : null;
    // Without outliers the bulk is the data's whole range: upstream's buckets exactly.
    timeline = outliers ? buildTimeline(plotted, bulk.fromSec, bulk.toSec, outliers) : buildTimeline(plotted, from.sec, to.sec);
  }
  return {
    capture,
    files,
    diskSize,
    totalLines,
    totalBytes,
    dataFrom: from,
    dataTo: to,
    effectiveStart,
    effectiveStop,
    linesPerSec,
    labels,
    timeline,
    problems,
  };
}
