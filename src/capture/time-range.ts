/** The earliest and latest of a run of instants (seconds and nanoseconds) and how many lines stood at them. */

import { formatInstant } from "./timestamp.ts";

export class TimeRange {
  lines = 0;
  fromSec = Number.POSITIVE_INFINITY;
  fromNsec = 0;
  toSec = Number.NEGATIVE_INFINITY;
  toNsec = 0;

  /** One more line at this instant. */
  count(sec: number, nsec: number): void {
    this.lines++;
    this.widen(sec, nsec);
  }

  /** Stretch the range over an instant without counting a line. */
  widen(sec: number, nsec: number): void {
    if (sec < this.fromSec || (sec === this.fromSec && nsec < this.fromNsec)) {
      this.fromSec = sec;
      this.fromNsec = nsec;
    }
    if (sec > this.toSec || (sec === this.toSec && nsec > this.toNsec)) {
      this.toSec = sec;
      this.toNsec = nsec;
    }
  }

  /** Take in another range's lines; its two ends are all of its instants that can move this range's. */
  mergeRange(o: TimeRange): void {
    if (o.lines === 0) return;
    this.lines += o.lines;
    this.widen(o.fromSec, o.fromNsec);
    this.widen(o.toSec, o.toNsec);
  }

  from(): string {
    return formatInstant(this.fromSec, this.fromNsec);
  }

  to(): string {
    return formatInstant(this.toSec, this.toNsec);
  }
}
