/**
 * The parts of a frame record (index-file.ts): a frame's lines split by how far their timestamps are from the time
 * the receiver wrote them. Only the receiver knows that time, so only its writer splits; without a split a single
 * 2009 line would make its frame's range — and every timeline drawn from the index — span 17 years.
 */

import type { Entry } from "../../model/entry.ts";
import type { FramePart } from "../index-file.ts";
import { TimeRange } from "../time-range.ts";
import type { SpanStats } from "./span-stats.ts";

/**
 * Lines more than this far behind or ahead of their write time get a part of their own. Tighter than the skew the
 * receiver counts (a week behind): a node whose clock is three hours off then shows as its own cluster in a
 * timeline instead of smearing every frame it shares with live lines over three hours.
 */
export const PART_SPLIT_SEC = 10 * 60;

/** Created at a frame's first far line, so frames without one (nearly all) cost only two comparisons per line. */
export class FrameParts {
  readonly #behind = new TimeRange();
  readonly #near = new TimeRange();
  readonly #ahead = new TimeRange();

  /** `sofar` holds the frame's lines before the first far one: all of them near. */
  constructor(sofar: SpanStats) {
    this.#near.mergeRange(sofar);
  }

  /** `side`: -1 behind, 0 near, 1 ahead. */
  add(e: Entry, side: -1 | 0 | 1): void {
    (side < 0 ? this.#behind : side > 0 ? this.#ahead : this.#near).count(e.sec, e.nsec);
  }

  /** Undefined when all lines fell on one side: the frame's own range then says it all. */
  records(): FramePart[] | undefined {
    const parts = [this.#behind, this.#near, this.#ahead].filter((r) => r.lines > 0);
    return parts.length > 1 ? parts.map((r) => ({ lines: r.lines, from: r.from(), to: r.to() })) : undefined;
  }
}
