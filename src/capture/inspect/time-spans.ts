/**
 * The spans of lines inspect knows without reading indexed data — frame parts, frame records, file records, and bins
 * of the unindexed files it scans — turned into the bulk range and the spans its timeline spreads.
 *
 * An index range without parts (upstream captures, copies) may hide a stray line: one 2009 line makes its file span
 * 17 years. The file's name says when it was opened and the next file's name (or the stop time) when it was closed.
 * A range reaching more than the skew limits past that (a week before, ten minutes after; time-skew.ts) while the
 * rest of it is not is taken to hold one stray line at each such end and its other lines within the time it was
 * written. If those ends turn out to lie in the bulk after all, the range is spread whole, as upstream does.
 */

import { findBulk, type BulkRange, type LineSpan } from "../bulk-range.ts";
import { SKEW_GRACE_SEC, SKEW_MAX_AGE_SEC } from "../time-skew.ts";

/** When a data file was written: from its name (opened) to the next file's name or the stop time (closed). */
export interface ReceiveWindow {
  fromSec: number;
  /** Infinity when unknown (the last file of a live or crashed capture). */
  toSec: number;
}

export interface PlotSpan {
  fromSec: number;
  toSec: number;
  lines: number;
}

interface Source extends PlotSpan {
  plot: boolean;
  /** Its items in `#items`: [first, end). */
  first: number;
  end: number;
  split: boolean;
}

const NAME_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})-\d{3}\./;

/** The receiver's file names (ours and upstream's) are the UTC wall clock at open. */
export function openedAt(name: string): number | null {
  const m = NAME_TIME.exec(name);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** Windows of the data files named by the receiver, in name order; `stoppedSec` closes the last one. */
export function receiveWindows(sortedNames: readonly string[], stoppedSec: number | null): Map<string, ReceiveWindow> {
  const out = new Map<string, ReceiveWindow>();
  let next = stoppedSec;
  for (let i = sortedNames.length - 1; i >= 0; i--) {
    const from = openedAt(sortedNames[i]!);
    if (from === null) continue;
    out.set(sortedNames[i]!, { fromSec: from, toSec: next !== null && next >= from ? next : Infinity });
    next = from;
  }
  return out;
}

export class TimeSpans {
  readonly #items: LineSpan[] = [];
  readonly #sources: Source[] = [];

  /** An index range (file, frame or frame part), spread over the timeline when it lies in the bulk. */
  addIndexed(span: PlotSpan, window: ReceiveWindow | null): void {
    this.#add(span, window, true);
  }

  /** Lines of a scanned file: they place the bulk but, as upstream, are not spread over the timeline. */
  addScanned(span: PlotSpan): void {
    this.#add(span, null, false);
  }

  #add(span: PlotSpan, w: ReceiveWindow | null, plot: boolean): void {
    const first = this.#items.length;
    const oldest = w ? w.fromSec - SKEW_MAX_AGE_SEC : -Infinity;
    const newest = w ? w.toSec + SKEW_GRACE_SEC : Infinity;
    const farFrom = span.fromSec < oldest && span.toSec >= oldest;
    const farTo = span.toSec > newest && span.fromSec <= newest;
    if (!w || span.lines < 2 || (!farFrom && !farTo)) {
      this.#items.push({ ...span });
      this.#sources.push({ ...span, plot, first, end: first + 1, split: false });
      return;
    }
    let rest = span.lines;
    if (farFrom) {
      this.#items.push({ fromSec: span.fromSec, toSec: span.fromSec, lines: 1, atLeast: true });
      rest--;
    }
    if (farTo) {
      this.#items.push({ fromSec: span.toSec, toSec: span.toSec, lines: 1, atLeast: true });
      rest--;
    }
    if (rest > 0) {
      // Written between the window's ends, so stamped near them unless skewed too.
      const from = farFrom ? Math.min(Math.max(span.fromSec, w!.fromSec), span.toSec) : span.fromSec;
      const to = farTo ? Math.max(Math.min(span.toSec, w!.toSec), from) : span.toSec;
      this.#items.push({ fromSec: from, toSec: to, lines: rest });
    }
    this.#sources.push({ ...span, plot, first, end: this.#items.length, split: true });
  }

  /** The bulk (null without lines) and the indexed spans inside it. */
  resolve(): { bulk: BulkRange | null; plotted: PlotSpan[] } {
    const bulk = findBulk(this.#items);
    if (bulk === null) return { bulk, plotted: [] };
    const plotted: PlotSpan[] = [];
    for (const s of this.#sources) {
      if (!s.plot) continue;
      let all = true;
      for (let i = s.first; i < s.end; i++) all &&= bulk.inside[i]!;
      if (all) plotted.push({ fromSec: s.fromSec, toSec: s.toSec, lines: s.lines });
      else if (s.split) for (let i = s.first; i < s.end; i++) {
          const { fromSec, toSec, lines } = this.#items[i]!;
          if (bulk.inside[i]) plotted.push({ fromSec, toSec, lines });
        }
    }
    return { bulk, plotted };
  }
}
