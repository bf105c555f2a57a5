/**
 * The parts of a frame record (index-file.ts): a frame's lines split by how far their timestamps are from the time
 * the receiver wrote them. Only the receiver knows that time, so only its writer splits; without a split a single
 * 2009 line would make its frame's range — and every timeline drawn from the index — span 17 years.
 */

import type { Entry } from "../../model/entry.ts";
import type { FramePart } from "../index-file.ts";
import { formatInstant } from "../timestamp.ts";
import type { SpanStats } from "./span-stats.ts";

/**
 * Lines more than this far behind or ahead of their write time get a part of their own. Tighter than the skew the
 * receiver counts (a week behind): a node whose clock is three hours off then shows as its own cluster in a
 * timeline instead of smearing every frame it shares with live lines over three hours.
 */
export const PART_SPLIT_SEC = 10 * 60;

class TimeRange {
  lines = 0;
  fromSec = Infinity;
  fromNsec = 0;
  toSec = -Infinity;
  toNsec = 0;

  add(sec: number, nsec: number): void {
    this.lines++;
    if (sec < this.fromSec || (sec === this.fromSec && nsec < this.fromNsec)) {
      this.fromSec = sec;
      this.fromNsec = nsec;
    }
    if (sec > this.toSec || (sec === this.toSec && nsec > this.toNsec)) {
      this.toSec = sec;
      this.toNsec = nsec;
    }
  }

  part(): FramePart {
    return { lines: this.lines, from: formatInstant(this.fromSec, this.fromNsec), to: formatInstant(this.toSec, this.toNsec) };
  }
}

/** Created at a frame's first far line, so frames without one (nearly all) cost only two comparisons per line. */
export class FrameParts {
  readonly #behind = new TimeRange();
  readonly #near = new TimeRange();
  readonly #ahead = new TimeRange();

  /** `sofar` holds the frame's lines before the first far one: all of them near. */
  constructor(sofar: SpanStats) {
    if (sofar.lines === 0) return;
    Object.assign(this.#near, { lines: sofar.lines, fromSec: sofar.fromSec, fromNsec: sofar.fromNsec, toSec: sofar.toSec, toNsec: sofar.toNsec });
  }

  /** `side`: -1 behind, 0 near, 1 ahead. */
  add(e: Entry, side: -1 | 0 | 1): void {
    (side < 0 ? this.#behind : side > 0 ? this.#ahead : this.#near).add(e.sec, e.nsec);
  }

  /** Undefined when all lines fell on one side: the frame's own range then says it all. */
  records(): FramePart[] | undefined {
    const parts = [this.#behind, this.#near, this.#ahead].filter((r) => r.lines > 0);
    return parts.length > 1 ? parts.map((r) => r.part()) : undefined;
  }
}
