/**
 * The triage timeline as an inline SVG line chart (upstream §11.8 geometry: 800×200 view box, padding L60 R20 T10
 * B30, blue total line, red error line, five grid lines), with the peak error window shaded.
 */

import { formatCount } from "../../common/format.ts";
import { formatInstantSeconds } from "../../capture/timestamp.ts";
import { escapeHtml } from "./html-page.ts";
import type { BucketCounts, Window } from "./windows.ts";

const W = 800;
const H = 200;
const PAD = { left: 60, right: 20, top: 10, bottom: 30 };
const TOTAL_COLOUR = "#3b82f6";
const ERROR_COLOUR = "#ef4444";

function labelStep(n: number): number {
  if (n <= 10) return 1;
  if (n <= 20) return 2;
  return Math.floor(n / 10);
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** A whole 1, 2 or 5 × 10^k at least `raw`, so the five grid labels are round numbers. */
function tickStep(raw: number): number {
  if (raw <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Null when there are fewer than two buckets: one point is no line. */
export function timelineSvg(buckets: readonly BucketCounts[], bucketSec: number, peak?: Window): string | null {
  const n = buckets.length;
  if (n < 2) return null;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  let most = 1;
  for (const b of buckets) if (b.lines > most) most = b.lines;
  const max = 4 * tickStep(most / 4);
  const x = (i: number) => r1(PAD.left + (i * plotW) / (n - 1));
  const y = (v: number) => r1(PAD.top + plotH - (v / max) * plotH);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="Total and error lines per bucket">`);
  if (peak) {
    // Points sit at bucket starts, so the window [from, to) spans from its first point to the next window's.
    const xt = (sec: number) => Math.min(W - PAD.right, Math.max(PAD.left, PAD.left + ((sec - buckets[0]!.start) / (bucketSec * (n - 1))) * plotW));
    const from = xt(peak.fromSec);
    const to = xt(peak.toSec);
    if (to > from) {
      parts.push(`<rect class="peak-window" x="${r1(from)}" y="${PAD.top}" width="${r1(to - from)}" height="${plotH}" fill="${ERROR_COLOUR}" fill-opacity="0.12"><title>Peak error window: ${escapeHtml(peak.description)}</title></rect>`);
    }
  }
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const gy = y(v);
    parts.push(`<line x1="${PAD.left}" y1="${gy}" x2="${W - PAD.right}" y2="${gy}" stroke="#e5e7eb" stroke-width="1"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${r1(gy + 4)}" font-size="10" text-anchor="end" fill="#6b7280">${formatCount(Math.round(v))}</text>`);
  }
  // Upstream's `HH:MM`; a chart across days needs the date to be read at all.
  const crossesDays = formatInstantSeconds({ sec: buckets[0]!.start, nsec: 0 }).slice(0, 10) !== formatInstantSeconds({ sec: buckets[n - 1]!.start, nsec: 0 }).slice(0, 10);
  const clock = (sec: number) => formatInstantSeconds({ sec, nsec: 0 }).slice(crossesDays ? 5 : 11, bucketSec % 60 === 0 ? 16 : 19).replace("T", " ");
  const step = labelStep(n);
  for (let i = 0; i < n; i += step) {
    parts.push(`<text x="${x(i)}" y="${H - PAD.bottom + 16}" font-size="10" text-anchor="middle" fill="#6b7280">${clock(buckets[i]!.start)}</text>`);
  }
  const points = (pick: (b: BucketCounts) => number) => buckets.map((b, i) => `${x(i)},${y(pick(b))}`).join(" ");
  parts.push(`<polyline class="series-total" fill="none" stroke="${TOTAL_COLOUR}" stroke-width="2" points="${points((b) => b.lines)}"/>`);
  parts.push(`<polyline class="series-errors" fill="none" stroke="${ERROR_COLOUR}" stroke-width="2" points="${points((b) => b.errors)}"/>`);
  const ly = PAD.top + 4;
  parts.push(
    `<g class="legend" font-size="11" fill="#374151">` +
      `<rect x="${W - PAD.right - 170}" y="${ly}" width="12" height="3" fill="${TOTAL_COLOUR}"/><text x="${W - PAD.right - 154}" y="${ly + 5}">Total lines</text>` +
      `<rect x="${W - PAD.right - 80}" y="${ly}" width="12" height="3" fill="${ERROR_COLOUR}"/><text x="${W - PAD.right - 64}" y="${ly + 5}">Errors</text>` +
      `</g>`,
  );
  parts.push("</svg>");
  return parts.join("\n");
}
