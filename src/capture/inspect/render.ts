/** inspect's text layout and JSON shape (upstream §7), field for field. */

import { formatBytes, formatCount, formatHumanDuration, goFixed1 } from "../../cli/format.ts";
import { formatInstantOf, ZERO_TIME_TEXT, type Instant } from "../timestamp.ts";
import type { InspectSummary } from "./summary.ts";

const SPARK = "▁▂▃▄▅▆▇█";

function dateTime(t: Instant): string {
  return formatInstantOf({ sec: t.sec, nsec: 0 }).replace("T", " ").replace("Z", "");
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
    const max = Math.max(...s.timeline.buckets.map((b) => b.lines));
    for (let i = 0; i < s.timeline.buckets.length; i += 30) {
      const row = s.timeline.buckets.slice(i, i + 30);
      const hhmm = formatInstantOf({ sec: row[0]!.sec, nsec: 0 }).slice(11, 16);
      out.push(`  ${hhmm} ${row.map((b) => SPARK[max > 0 ? Math.round((b.lines / max) * 7) : 0]).join("")}`);
    }
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
  }
  if (s.problems.length > 0) o.problems = s.problems;
  return o;
}
