/** `sequence.txt` (upstream §11.6): the correlations as a text sequence diagram, one arrow per correlation. */

import type { Correlation } from "./correlation.ts";

const NONE = "No cross-service correlations detected.\n";
const ARROW_LABEL = "[err]";

export function sequenceDiagram(correlations: readonly Correlation[]): string {
  if (correlations.length === 0) return NONE;
  const sources: string[] = [];
  for (const c of correlations) if (!sources.includes(c.source)) sources.push(c.source);
  const targetsOnly = [...new Set(correlations.map((c) => c.target))].filter((t) => !sources.includes(t)).sort();
  const participants = [...sources, ...targetsOnly];
  const widths = participants.map((p) => Math.max(16, p.length + 4));
  const starts: number[] = [];
  let total = 0;
  for (const w of widths) {
    starts.push(total);
    total += w;
  }
  const centre = (i: number) => starts[i]! + Math.floor(widths[i]! / 2);
  const lifelines = () => {
    const row = Array<string>(total).fill(" ");
    participants.forEach((_, i) => (row[centre(i)] = "|"));
    return row;
  };
  const text = (row: string[]) => row.join("").trimEnd();

  const names = Array<string>(total).fill(" ");
  participants.forEach((p, i) => {
    const at = starts[i]! + Math.floor((widths[i]! - p.length) / 2);
    for (let k = 0; k < p.length; k++) names[at + k] = p[k]!;
  });
  const lines = [text(names), text(lifelines())];
  const byLag = [...correlations].sort((a, b) => a.lag_seconds - b.lag_seconds);
  for (const c of byLag) {
    const row = lifelines();
    const s = centre(participants.indexOf(c.source));
    const t = centre(participants.indexOf(c.target));
    const lo = Math.min(s, t);
    const hi = Math.max(s, t);
    for (let k = lo + 1; k < hi; k++) row[k] = "-";
    const between = hi - lo - 1;
    if (between >= ARROW_LABEL.length) {
      const at = lo + 1 + Math.floor((between - ARROW_LABEL.length) / 2);
      for (let k = 0; k < ARROW_LABEL.length; k++) row[at + k] = ARROW_LABEL[k]!;
    }
    row[t] = t > s ? ">" : "<";
    lines.push(`${text(row)}   ${c.pattern} +${c.lag_seconds}s (${Math.round(c.confidence * 100)}%)`);
  }
  lines.push(text(lifelines()));
  return lines.join("\n") + "\n";
}
