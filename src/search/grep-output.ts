/** How grep prints what it found: capture JSON lines (plus `context`), or the aligned text timeline. */

import { encodeEntryLine } from "../capture/entry-line.ts";
import type { Instant } from "../capture/timestamp.ts";
import { serviceOf } from "../capture/display-line.ts";
import type { GrepHit } from "./context-groups.ts";

export function grepJsonLine(h: GrepHit): string {
  const line = encodeEntryLine(h.entry);
  return h.context === undefined ? line : `${line.slice(0, -1)},"context":"${h.context}"}`;
}

/**
 * HH:MM:SS.mmm of the UTC time (upstream printed the entry's own zone; captures we write are UTC), the milliseconds
 * truncated. By arithmetic: formatting the whole instant and cutting it was ~0.6 µs a line of a million.
 */
export function grepClock(t: Instant): string {
  const day = ((t.sec % 86400) + 86400) % 86400;
  const two = (n: number) => (n < 10 ? "0" : "") + n;
  const ms = Math.floor(t.nsec / 1e6);
  return `${two(Math.floor(day / 3600))}:${two(Math.floor(day / 60) % 60)}:${two(day % 60)}.${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}`;
}

function service(h: GrepHit): string {
  return serviceOf(h.entry.labels) || "-";
}

/** Text lines with the bracketed service padded to the widest one printed, and `--` between context groups. */
export function grepTextLines(hits: readonly GrepHit[], withGroups: boolean): string[] {
  // A loop, not Math.max(...hits): a million arguments overflow the stack.
  let width = 0;
  for (const h of hits) width = Math.max(width, service(h).length + 2);
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
