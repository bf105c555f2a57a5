/** inspect's text layout and JSON shape (upstream §7), field for field. */

import { formatBytes, formatCount, formatHumanDuration, goFixed1 } from "../../common/format.ts";
import { formatInstantOf, ZERO_TIME_TEXT, type Instant } from "../timestamp.ts";
import type { OutlierGroup } from "../bulk-range.ts";
import type { InspectSummary } from "./summary.ts";
import type { Timeline } from "./timeline.ts";

const SPARK = "▁▂▃▄▅▆▇█";

function dateTime(t: Instant): string {
  return formatInstantOf({ sec: t.sec, nsec: 0 }).replace("T", " ").replace("Z", "");
}

/** `HH:MM` as upstream within one day; with the date once the timeline crosses days, only the date for whole days. */
function rowLabeler(t: Timeline): (sec: number) => string {
  const text = (sec: number) => dateTime({ sec, nsec: 0 });
  const first = text(t.buckets[0]!.sec);
  const last = text(t.buckets.at(-1)!.sec);
  if (t.widthSec % 86400 === 0) return (sec) => text(sec).slice(0, 10);
  if (first.slice(0, 10) === last.slice(0, 10)) return (sec) => text(sec).slice(11, 16);
  return (sec) => text(sec).slice(0, 16);
}

function outlierLine(side: string, g: OutlierGroup): string {
  const count = `${g.atLeast ? "at least " : ""}${formatCount(g.lines)} ${g.lines === 1 ? "line" : "lines"}`;
  const from = dateTime({ sec: g.fromSec, nsec: 0 });
  const to = dateTime({ sec: g.toSec, nsec: 0 });
  return `  ${side.padEnd(7)} ${count.padEnd(18)} ${from === to ? from : `${from} — ${to}`}`;
}

function outlierLines(o: NonNullable<Timeline["outliers"]>): string[] {
  const groups = [o.before, o.after].filter((g): g is OutlierGroup => g !== null);
  const total = groups.reduce((n, g) => n + g.lines, 0);
  const atLeast = groups.some((g) => g.atLeast);
  const out = [`Outliers: ${atLeast ? "at least " : ""}${formatCount(total)} ${total === 1 ? "line" : "lines"} far from the rest, not in the timeline`];
  if (o.before) out.push(outlierLine("before:", o.before));
  if (o.after) out.push(outlierLine("after:", o.after));
  return out;
}

function outlierGroupJson(g: OutlierGroup) {
  const o: Record<string, unknown> = { lines: g.lines, from: formatInstantOf({ sec: g.fromSec, nsec: 0 }), to: formatInstantOf({ sec: g.toSec, nsec: 0 }) };
  if (g.atLeast) o.at_least = true;
  return o;
}

/** `outliers` of --json: a logtap extension, present only when the timeline left lines out. */
export function outliersJson(o: NonNullable<Timeline["outliers"]>): Record<string, unknown> {
  const out: Record<string, unknown> = { lines: (o.before?.lines ?? 0) + (o.after?.lines ?? 0) };
  if (o.before) out.before = outlierGroupJson(o.before);
  if (o.after) out.after = outlierGroupJson(o.after);
  return out;
}

export function renderInspectText(s: InspectSummary): string {
  const out: string[] = [];
  const m = s.capture.metadata;
  out.push(`Capture: ${s.capture.dir}`);
  out.push(`Format:  ${m.format} (v${m.version})`);
  if (s.effectiveStart) {
    const start = dateTime(s.effectiveStart);
    const stop = s.effectiveStop;
    if (stop && stop.sec > s.effectiveStart.sec) {
      const stopText = dateTime(stop);
      const sameDay = stopText.slice(0, 10) === start.slice(0, 10);
      out.push(`Period:  ${start} — ${sameDay ? stopText.slice(11) : stopText} (${formatHumanDuration(stop.sec - s.effectiveStart.sec)})`);
    } else out.push(`Period:  ${start}`);
  }
  out.push(`Size:    ${formatBytes(s.diskSize)} (${s.files} files)`);
  if (s.totalBytes > 0 && s.totalBytes !== s.diskSize) out.push(`Data:    ${formatBytes(s.totalBytes)} (uncompressed)`);
  out.push(`Lines:   ${formatCount(s.totalLines)}`);
  if (s.linesPerSec > 0) out.push(`Rate:    ~${formatCount(Math.trunc(s.linesPerSec))} lines/sec`);
  if (s.labels.size > 0) {
    out.push("", "Labels:");
    for (const [key, rows] of s.labels) {
      out.push(`  ${key}:`);
      for (const r of rows) {
        const pct = s.totalLines > 0 ? (r.lines / s.totalLines) * 100 : 0;
        const pctText = pct > 0 && pct < 0.05 ? "(< 0.1%)" : `(${goFixed1(pct)}%)`;
        out.push(`    ${r.value.padEnd(20)} ${formatCount(r.lines)} lines   ${formatBytes(r.bytes)}   ${pctText}`);
      }
      out.push("");
    }
    out.pop();
  }
  if (s.timeline && s.timeline.buckets.length > 0) {
    out.push("", `Timeline (${s.timeline.widthLabel}):`);
    const max = s.timeline.buckets.reduce((m, b) => Math.max(m, b.lines), 0);
    const label = rowLabeler(s.timeline);
    for (let i = 0; i < s.timeline.buckets.length; i += 30) {
      const row = s.timeline.buckets.slice(i, i + 30);
      out.push(`  ${label(row[0]!.sec)} ${row.map((b) => SPARK[max > 0 ? Math.round((b.lines / max) * 7) : 0]).join("")}`);
    }
    if (s.timeline.outliers) out.push(...outlierLines(s.timeline.outliers));
  }
  return out.join("\n") + "\n";
}

/** Key order as upstream's struct; optional keys omitted the way Go's omitempty does. */
export function inspectJson(s: InspectSummary): unknown {
  const o: Record<string, unknown> = {
    dir: s.capture.dir,
    metadata: s.capture.metadata,
    files: s.files,
    total_lines: s.totalLines,
    total_bytes: s.totalBytes,
    disk_size: s.diskSize,
    data_from: s.dataFrom ? formatInstantOf(s.dataFrom) : ZERO_TIME_TEXT,
    data_to: s.dataTo ? formatInstantOf(s.dataTo) : ZERO_TIME_TEXT,
  };
  if (s.linesPerSec > 0) o.lines_per_sec = s.linesPerSec;
  if (s.timeline && s.timeline.buckets.length > 0) o.bucket_width = s.timeline.widthLabel;
  if (s.labels.size > 0) o.labels = Object.fromEntries(s.labels);
  if (s.timeline && s.timeline.buckets.length > 0) {
    o.timeline = s.timeline.buckets.map((b) => ({ time: formatInstantOf({ sec: b.sec, nsec: 0 }), lines: b.lines }));
    if (s.timeline.outliers) o.outliers = outliersJson(s.timeline.outliers);
  }
  if (s.problems.length > 0) o.problems = s.problems;
  return o;
}
