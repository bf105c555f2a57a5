/** The text files triage writes into `--out` (upstream §11.7), each rendered from the result alone. */

import { formatHumanDuration, goFixed1 } from "../../common/format.ts";
import { goJsonDocument } from "../../capture/go-json.ts";
import { formatInstantSeconds, type Instant } from "../../capture/timestamp.ts";
import { recommendedSlices } from "./suggested-commands.ts";
import { outliersSentence } from "./timeline-outliers.ts";
import { windowsJson, type TriageResult } from "./triage-result.ts";

/** Talker values per key in summary.md; top_talkers.txt has them all. */
const SUMMARY_TALKERS = 10;

function rfc3339(sec: number): string {
  return formatInstantSeconds({ sec, nsec: 0 });
}

function pct(part: number, whole: number): string {
  return goFixed1(whole > 0 ? (part / whole) * 100 : 0);
}

/** `2024-01-15 10:00 — 10:08 (8m 00s)`; the stop gets its date when it is on another day. */
export function periodText(start: Instant, stop: Instant | null): string {
  const from = formatInstantSeconds(start);
  let text = `${from.slice(0, 10)} ${from.slice(11, 16)}`;
  if (stop && stop.sec > start.sec) {
    const to = formatInstantSeconds(stop);
    text += ` — ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11, 16) : `${to.slice(0, 10)} ${to.slice(11, 16)}`}`;
    text += ` (${formatHumanDuration(stop.sec - start.sec)})`;
  }
  return text;
}

export function summaryMarkdown(r: TriageResult): string {
  const out: string[] = [`# Triage: ${r.dir}`, ""];
  if (r.start) out.push(`Period:  ${periodText(r.start, r.stop)}`);
  out.push(`Lines:   ${r.totalLines} (${r.errorLines} errors)`);
  if (r.outliers) out.push(`Outliers: ${outliersSentence(r.outliers)}`);
  out.push("");
  const { peak_error: peak, incident_start: incident } = r.windows;
  if (peak || incident) {
    out.push("## Incident Signal");
    if (peak) out.push(`Peak error window:  ${rfc3339(peak.fromSec)} — ${rfc3339(peak.toSec)} (${peak.description})`);
    if (incident) out.push(`Incident start:     ${rfc3339(incident.fromSec)} (${incident.description})`);
    out.push("");
  }
  if (r.errors.length > 0) {
    out.push(`## Top Errors (of ${r.errorLines} total)`);
    r.errors.forEach((e, i) => out.push(`  ${i + 1}. ${e.signature.padEnd(60)} ${e.count}  (${pct(e.count, r.errorLines)}%)`));
    out.push("");
  }
  if (r.talkers.size > 0) {
    out.push("## Top Talkers");
    for (const [key, rows] of r.talkers) {
      out.push(`  ${key}:`);
      for (const t of rows.slice(0, SUMMARY_TALKERS)) {
        const share = t.errors > 0 ? `  ← ${Math.round((t.errors / r.errorLines) * 100)}% of errors` : "";
        out.push(`    ${t.value.padEnd(20)} ${t.lines} lines  (${pct(t.lines, r.totalLines)}%)${share}`);
      }
      if (rows.length > SUMMARY_TALKERS) out.push(`    … ${rows.length - SUMMARY_TALKERS} more in top_talkers.txt`);
    }
    out.push("");
  }
  if (r.correlations.length > 0) {
    out.push("## Cross-Service Correlations");
    for (const c of r.correlations) out.push(`  ${c.source} → ${c.target}  lag=${c.lag_seconds}s  pattern=${c.pattern}  confidence=${c.confidence.toFixed(2)}`);
    out.push("");
  }
  const slices = recommendedSlices(r);
  if (slices.length > 0) {
    out.push("## Recommended Slices");
    for (const s of slices) out.push(`  ${s}`);
    out.push("");
  }
  return out.join("\n");
}

export function timelineCsv(r: TriageResult): string {
  return ["minute,total_lines,error_lines", ...r.timeline.map((b) => `${rfc3339(b.start)},${b.lines},${b.errors}`)].join("\n") + "\n";
}

export function topErrorsText(r: TriageResult): string {
  return r.errors
    .map((e, i) => `${i + 1}. ${e.signature}\t${e.count}\t(${pct(e.count, r.errorLines)}%)\tfirst: ${formatInstantSeconds({ sec: e.firstSec, nsec: 0 })}\n`)
    .join("");
}

export function topTalkersText(r: TriageResult): string {
  let out = "";
  for (const [key, rows] of r.talkers) {
    out += `${key}:\n`;
    for (const t of rows) out += `  ${t.value.padEnd(20)} ${t.lines} lines\t(${pct(t.lines, r.totalLines)}%)\t${t.errors} errors\n`;
  }
  return out;
}

export function windowsFile(r: TriageResult): string {
  return goJsonDocument(windowsJson(r.windows), true);
}
