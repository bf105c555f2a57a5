/**
 * `logtap patterns` output: the text listing (one block per pattern: count, share, id, template; then first and last
 * seen and the services; then one example line) and the `--json` document.
 */

import { formatInstant } from "../../capture/timestamp.ts";
import { formatCount } from "../../common/format.ts";
import type { FinalPattern, MinedPatterns } from "./finish.ts";

export interface PatternsReport {
  dir: string;
  mined: MinedPatterns;
  /** The patterns to list (the first `--top`). */
  shown: FinalPattern[];
  errorsOnly: boolean;
}

function patternJson(p: FinalPattern) {
  const s = p.stats;
  const out: Record<string, unknown> = {
    id: p.id,
    pattern: p.text,
    count: s.count,
    first_seen: formatInstant(s.firstSec, s.firstNsec),
    last_seen: formatInstant(s.lastSec, s.lastNsec),
    services: s.services,
  };
  if (s.moreServices) out.more_services = true;
  out.example = s.example;
  return out;
}

/** `lines` counts the lines mined (with `--errors`, the error lines); `ungrouped` only when the cap was hit. */
export function patternsJson(r: PatternsReport): Record<string, unknown> {
  const out: Record<string, unknown> = { dir: r.dir, lines: r.mined.lines, patterns_total: r.mined.patterns.length };
  if (r.errorsOnly) out.errors_only = true;
  if (r.mined.ungrouped.count > 0) out.ungrouped = { lines: r.mined.ungrouped.count, max_patterns: r.mined.maxTemplates };
  out.patterns = r.shown.map(patternJson);
  return out;
}

const pct = (n: number, total: number) => (total === 0 ? "0.0" : ((100 * n) / total).toFixed(1));

export function patternsText(r: PatternsReport): string {
  const total = r.mined.lines;
  const counts = r.shown.map((p) => formatCount(p.stats.count));
  const w = Math.max(5, ...counts.map((c) => c.length));
  let out = `${"COUNT".padStart(w)}  SHARE   ID            PATTERN\n`;
  const indent = " ".repeat(w + 24);
  r.shown.forEach((p, i) => {
    const s = p.stats;
    out += `${counts[i]!.padStart(w)}  ${(pct(s.count, total) + "%").padStart(6)}  ${p.id}  ${p.text}\n`;
    const services = s.services.length === 0 ? "" : `  services ${s.services.join(", ")}${s.moreServices ? ", …" : ""}`;
    out += `${indent}first ${formatInstant(s.firstSec, s.firstNsec)}  last ${formatInstant(s.lastSec, s.lastNsec)}${services}\n`;
    out += `${indent}e.g. ${oneLine(s.example)}\n`;
  });
  return out;
}

/** An example on one line: a multi-line message (a stack trace) shows its first line and how many follow. */
function oneLine(msg: string): string {
  const nl = msg.indexOf("\n");
  if (nl < 0) return msg;
  const more = msg.split("\n").length - 1;
  return `${msg.slice(0, nl)} (+${more} ${more === 1 ? "line" : "lines"})`;
}
