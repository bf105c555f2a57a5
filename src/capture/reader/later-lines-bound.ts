/**
 * For a plan read in order: after each unit, the earliest time a line of any later unit can have, from the index —
 * the frames' `from` (the earliest line of each frame, as the writer records it), or a file's `from` where it has no
 * frame records. Lets a reader that must print in time order print what comes before it early (grep's text output).
 * Unknown (null) while a later file has no index entry, or a time the reader cannot parse.
 */

import type { EntryFilter } from "../filters/entry-filter.ts";
import { compareInstant, parseRfc3339, type Instant } from "../timestamp.ts";
import type { PlannedFile } from "./read-plan.ts";

const UNKNOWN: Instant = { sec: -Infinity, nsec: 0 };

const earlier = (a: Instant, b: Instant): Instant => (compareInstant(a.sec, a.nsec, b.sec, b.nsec) < 0 ? a : b);

export class LaterLinesBound {
  /** Per file: the bound after each of its wanted frames, by offset. */
  readonly #afterFrame = new Map<string, Map<number, Instant>>();
  /** Per file: the earliest line of it and every later file. */
  readonly #fromFile = new Map<string, Instant>();

  constructor(files: readonly PlannedFile[], filter: EntryFilter) {
    let later: Instant = { sec: Infinity, nsec: 0 };
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const frames = f.index?.frames?.filter((fr) => filter.mayMatchFrame(fr)) ?? [];
      const after = new Map<number, Instant>();
      let within = later;
      for (let k = frames.length - 1; k >= 0; k--) {
        after.set(frames[k]!.offset, within);
        within = earlier(within, parseRfc3339(frames[k]!.from) ?? UNKNOWN);
      }
      if (frames.length > 0) this.#afterFrame.set(f.name, after);
      const own = frames.length > 0 ? within : f.index ? earlier(later, parseRfc3339(f.index.from) ?? UNKNOWN) : UNKNOWN;
      this.#fromFile.set(f.name, own);
      later = own;
    }
  }

  /** No line of a unit after `file`'s unit at `offset` is earlier than this; null when that is not known. */
  after(file: string, offset: number): Instant | null {
    const bound = this.#afterFrame.get(file)?.get(offset) ?? this.#fromFile.get(file) ?? UNKNOWN;
    return bound.sec === -Infinity ? null : bound;
  }
}
