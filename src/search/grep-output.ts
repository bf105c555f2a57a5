/** How grep prints what it found: capture JSON lines (plus `context`), or the aligned text timeline. */

import { encodeEntryLine } from "../capture/entry-line.ts";
import { formatInstantOf, type Instant } from "../capture/timestamp.ts";
import { serviceOf } from "../capture/display-line.ts";
import type { GrepHit } from "./context-groups.ts";

export function grepJsonLine(h: GrepHit): string {
  const line = encodeEntryLine(h.entry);
  return h.context === undefined ? line : `${line.slice(0, -1)},"context":"${h.context}"}`;
}

/** HH:MM:SS.mmm of the UTC time (upstream printed the entry's own zone; captures we write are UTC). */
export function grepClock(t: Instant): string {
  const [hms, frac = ""] = formatInstantOf(t).slice(11, -1).split(".");
  return `${hms}.${frac.padEnd(3, "0").slice(0, 3)}`;
}

function service(h: GrepHit): string {
  return serviceOf(h.entry.labels) || "-";
}

/** Text lines with the bracketed service padded to the widest one printed, and `--` between context groups. */
export function grepTextLines(hits: readonly GrepHit[], withGroups: boolean): string[] {
  const width = Math.max(0, ...hits.map((h) => service(h).length + 2));
  const out: string[] = [];
  let prev: GrepHit | undefined;
  for (const h of hits) {
    if (withGroups && prev && (prev.group !== h.group || prev.file !== h.file)) out.push("--");
    out.push(`${grepClock(h.entry)} ${`[${service(h)}]`.padEnd(width)} ${h.entry.msg}`);
    prev = h;
  }
  return out;
}

/** Stable sort by timestamp; equal timestamps keep file/scan order (upstream's sort was unstable). */
export function sortByTime(hits: GrepHit[]): GrepHit[] {
  return hits.sort((a, b) => a.entry.sec - b.entry.sec || a.entry.nsec - b.entry.nsec);
}
