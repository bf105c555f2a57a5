/**
 * `report.html` of triage (upstream §11.8): the timeline chart, incident signal, top errors, talkers, correlations and
 * recommended slices. `triageSections` is the page body without its heading, which `logtap report` embeds (upstream
 * embedded a whole second document — Q21).
 */

import { goFixed1 } from "../../common/format.ts";
import { formatInstantSeconds } from "../../capture/timestamp.ts";
import { escapeHtml as h, htmlDocument } from "./html-page.ts";
import { sequenceDiagram } from "./sequence-diagram.ts";
import { recommendedSlices } from "./suggested-commands.ts";
import { periodText } from "./text-artifacts.ts";
import { outliersSentence } from "./timeline-outliers.ts";
import { timelineSvg } from "./timeline-svg.ts";
import type { TriageResult } from "./triage-result.ts";
import type { Window } from "./windows.ts";

const TALKER_ROWS = 10;

const time = (sec: number) => formatInstantSeconds({ sec, nsec: 0 });
const pct = (part: number, whole: number) => goFixed1(whole > 0 ? (part / whole) * 100 : 0);

function windowLine(label: string, w: Window | undefined, withEnd: boolean): string {
  if (!w) return "";
  const span = withEnd ? `${time(w.fromSec)} — ${time(w.toSec)}` : time(w.fromSec);
  return `<p><strong>${label}:</strong> ${span} (${h(w.description)})</p>`;
}

function errorsTable(r: TriageResult): string {
  if (r.errors.length === 0) return "<p>No errors found.</p>";
  const rows = r.errors.map(
    (e, i) =>
      `<tr><td class="num">${i + 1}</td><td class="sig" title="${h(e.example)}">${h(e.signature)}<div class="example">e.g. ${h(e.example)}</div></td>` +
      `<td class="num">${e.count}</td><td class="num">${pct(e.count, r.errorLines)}%</td><td class="num">${time(e.firstSec).slice(11, 19)}</td></tr>`,
  );
  return `<table class="top-errors"><thead><tr><th>#</th><th>Signature</th><th>Count</th><th>%</th><th>First Seen</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function talkersTables(r: TriageResult): string {
  if (r.talkers.size === 0) return "<p>No labels.</p>";
  const out: string[] = [];
  for (const [key, rows] of r.talkers) {
    const max = Math.max(1, ...rows.slice(0, TALKER_ROWS).map((t) => t.lines));
    const body = rows.slice(0, TALKER_ROWS).map(
      (t) =>
        `<tr><td>${h(t.value)}</td><td class="num">${t.lines}</td><td class="num">${pct(t.lines, r.totalLines)}%</td><td class="num">${t.errors}</td>` +
        `<td style="width:40%"><div class="bar" style="width:${pct(t.lines, max)}%"></div>` +
        (t.errors > 0 ? `<div class="bar err" style="width:${pct(t.errors, max)}%"></div>` : "") +
        `</td></tr>`,
    );
    const more = rows.length > TALKER_ROWS ? `<p class="meta">${rows.length - TALKER_ROWS} more values in top_talkers.txt</p>` : "";
    out.push(
      `<h3>${h(key)}</h3><table class="talkers"><thead><tr><th>Value</th><th>Lines</th><th>%</th><th>Errors</th><th></th></tr></thead><tbody>\n${body.join("\n")}\n</tbody></table>${more}`,
    );
  }
  return out.join("\n");
}

function correlationsTable(r: TriageResult): string {
  if (r.correlations.length === 0) return "<p>No cross-service correlations detected.</p>";
  const rows = r.correlations.map(
    (c) =>
      `<tr><td>${h(c.source)}</td><td>${h(c.target)}</td><td class="num">+${c.lag_seconds}s</td><td>${c.pattern}</td><td class="num">${Math.round(c.confidence * 100)}%</td>` +
      `<td class="sig">${h(c.source_error)}</td><td class="sig">${h(c.target_error)}</td></tr>`,
  );
  return (
    `<table class="correlations"><thead><tr><th>Source</th><th>Target</th><th>Lag</th><th>Pattern</th><th>Confidence</th><th>Source error</th><th>Target error</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>` +
    `<pre class="sequence">${h(sequenceDiagram(r.correlations))}</pre>`
  );
}

/** Everything below the page heading; also the triage part of report.html. */
export function triageSections(r: TriageResult): string {
  const { peak_error: peak, incident_start: incident, steady_state: steady } = r.windows;
  const parts: string[] = [];
  if (peak || incident || steady) {
    parts.push(
      `<h2>Incident Signal</h2><div class="signal">${windowLine("Peak error window", peak, true)}${windowLine("Incident start", incident, false)}${windowLine("Steady state", steady, true)}</div>`,
    );
  }
  const svg = timelineSvg(r.timeline, r.bucketSec, peak);
  const outliers = r.outliers ? `<p class="meta outliers">${h(outliersSentence(r.outliers))}.</p>` : "";
  parts.push(`<h2>Timeline</h2>${svg ?? "<p>Not enough data for timeline chart.</p>"}${outliers}`);
  parts.push(`<h2>Top Errors</h2>${errorsTable(r)}`);
  parts.push(`<h2>Top Talkers</h2>${talkersTables(r)}`);
  parts.push(`<h2>Cross-Service Correlations</h2>${correlationsTable(r)}`);
  const slices = recommendedSlices(r);
  if (slices.length > 0) parts.push(`<h2>Recommended Slices</h2><pre><code>${h(slices.join("\n"))}</code></pre>`);
  return parts.join("\n");
}

export function triageHtml(r: TriageResult): string {
  const head = [
    `<h1>Triage Report</h1>`,
    `<p class="meta">${h(r.dir)}</p>`,
    r.start ? `<p class="meta">${h(periodText(r.start, r.stop))}</p>` : "",
    `<div class="pills"><span class="pill">${r.totalLines} lines</span><span class="pill errors">${r.errorLines} errors (${pct(r.errorLines, r.totalLines)}%)</span></div>`,
  ];
  return htmlDocument(`Triage Report: ${r.dir}`, `${head.join("\n")}\n${triageSections(r)}\n<footer>Generated by logtap triage</footer>`);
}
