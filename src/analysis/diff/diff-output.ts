/** The text and JSON layouts of `logtap diff` (upstream §13.1, §13.2), field for field. */

import { goFixed1 } from "../../common/format.ts";
import type { CaptureSummary } from "./capture-summary.ts";
import { formatPercentChange, minuteText, type BaselineDiff, type StructuralDiff } from "./compare.ts";
import { goDuration, goFixed0, goList, jsonInt64 } from "./go-text.ts";

function sideJson(s: CaptureSummary): Record<string, unknown> {
  return {
    dir: s.dir,
    started: s.started,
    stopped: s.stopped,
    // Nanoseconds, as Go's Duration serialises.
    duration: jsonInt64(s.durationNs),
    lines: s.lines,
    lines_per_sec: s.linesPerSec,
    labels: s.labels,
    // Not upstream: its ci-integration.sh reads `.a.error_lines` (Q27).
    error_lines: s.errorLines,
  };
}

export function structuralJson(d: StructuralDiff): Record<string, unknown> {
  const doc: Record<string, unknown> = { a: sideJson(d.a), b: sideJson(d.b) };
  if (d.labelsOnlyA.length > 0) doc.labels_only_a = d.labelsOnlyA;
  if (d.labelsOnlyB.length > 0) doc.labels_only_b = d.labelsOnlyB;
  if (d.errorsOnlyA.length > 0) doc.errors_only_a = d.errorsOnlyA;
  if (d.errorsOnlyB.length > 0) doc.errors_only_b = d.errorsOnlyB;
  if (d.rates.length > 0) doc.rate_compare = d.rates.map((r) => ({ minute: minuteText(r.minute), rate_a: r.rateA, rate_b: r.rateB }));
  return doc;
}

const sideLine = (s: CaptureSummary) => `  ${s.lines} lines, ${goFixed1(s.linesPerSec)} lines/sec, ${goDuration(s.durationNs)}\n`;
const hhmm = (minute: number) => minuteText(minute).slice(11, 16);

export function structuralText(d: StructuralDiff): string {
  let t = `Capture A: ${d.a.dir}\n${sideLine(d.a)}Capture B: ${d.b.dir}\n${sideLine(d.b)}`;
  if (d.labelsOnlyA.length > 0) t += `\nLabels only in A: ${goList(d.labelsOnlyA)}\n`;
  if (d.labelsOnlyB.length > 0) t += `\nLabels only in B: ${goList(d.labelsOnlyB)}\n`;
  if (d.errorsOnlyA.length > 0) t += `\nErrors only in A:\n` + d.errorsOnlyA.map((e) => `  [${e.count}] ${e.pattern}\n`).join("");
  if (d.errorsOnlyB.length > 0) t += `\nErrors only in B:\n` + d.errorsOnlyB.map((e) => `  [${e.count}] ${e.pattern}\n`).join("");
  if (d.rates.length > 0) {
    t += `\nRate comparison (lines/min):\n  ${"Minute".padEnd(20)} ${"A".padStart(8)} ${"B".padStart(8)}\n`;
    for (const r of d.rates) t += `  ${hhmm(r.minute).padEnd(20)} ${String(r.rateA).padStart(8)} ${String(r.rateB).padStart(8)}\n`;
  }
  return t;
}

export function baselineJson(d: BaselineDiff): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    baseline: d.baseline.dir,
    current: d.current.dir,
    error_rate_change: formatPercentChange(d.errorRateChange),
    volume_change: formatPercentChange(d.volumeChange),
  };
  if (d.newErrorPatterns.length > 0) doc.new_error_patterns = d.newErrorPatterns;
  if (d.missingLabels.length > 0) doc.missing_labels = d.missingLabels;
  if (d.newLabels.length > 0) doc.new_labels = d.newLabels;
  doc.verdict = d.verdict;
  doc.confidence = d.confidence;
  return doc;
}

export function baselineText(d: BaselineDiff): string {
  let t = `Baseline: ${d.baseline.dir}\nCurrent:  ${d.current.dir}\n`;
  t += `\nVerdict:    ${d.verdict} (confidence ${goFixed0(d.confidence * 100)}%)\n`;
  t += `Error rate: ${formatPercentChange(d.errorRateChange)}\nVolume:     ${formatPercentChange(d.volumeChange)}\n`;
  if (d.newErrorPatterns.length > 0) {
    t += `\nNew/worse error patterns:\n`;
    for (const e of d.newErrorPatterns) t += e.baseline_count === 0 ? `  [NEW ${e.count}] ${e.pattern}\n` : `  [${e.baseline_count} -> ${e.count}] ${e.pattern}\n`;
  }
  if (d.missingLabels.length > 0) t += `\nMissing labels (in baseline, not in current): ${goList(d.missingLabels)}\n`;
  if (d.newLabels.length > 0) t += `\nNew labels (in current, not in baseline): ${goList(d.newLabels)}\n`;
  return t;
}
