/**
 * The hits of a sorted grep (`--format text`, `--sort`) not printed yet, in typed arrays (a million objects would
 * cost more than the lines): in scan order, or after a `keep`, the kept ones in time order and then the later ones
 * in scan order — the order a stable sort by time needs. What printing needs of a hit is one record of `RECORD`
 * int32s: the sort by time visits hits in an order far from scan order (pushes interleave in time), where one cache
 * line per hit costs less than one per field.
 */

import type { Entry } from "../model/entry.ts";
import type { Instant } from "../capture/timestamp.ts";
import { serviceOf } from "../capture/display-line.ts";
import { timeOrder } from "./time-order.ts";

export const RECORD = 6;
/** -1: the hit is entries[record[ENTRY]]; else an index into `frames`. */
export const FRAME = 0;
/** In the frame's output: where the stored line starts and ends (its newline), its timestamp and message body. */
export const LINE_START = 1;
export const ENTRY = LINE_START;
export const LINE_END = 2;
export const MSG_START = 3;
export const MSG_END = 4;
export const SERVICE = 5;

export class PendingHits {
  length = 0;
  sec = new Float64Array(1024);
  nsec = new Int32Array(1024);
  records = new Int32Array(1024 * RECORD);
  /** The hits parsed the general way (all of them on the general path; few on the judged one). */
  entries: Entry[] = [];
  /** The judged frames' output, until none of their hits is pending (then given back to the reader). */
  frames: (Buffer | null)[] = [];
  #framePending: number[] = [];
  #frameRelease: (() => void)[] = [];
  services: string[] = [];
  /** The longest service name among `services`. */
  widest = 0;
  #serviceIds = new Map<string, number>();

  serviceId(name: string): number {
    let id = this.#serviceIds.get(name);
    if (id === undefined) {
      this.#serviceIds.set(name, (id = this.services.push(name) - 1));
      this.widest = Math.max(this.widest, name.length);
    }
    return id;
  }

  addFrame(out: Buffer, release: () => void): number {
    this.#framePending.push(0);
    this.#frameRelease.push(release);
    return this.frames.push(out) - 1;
  }

  /** A hit parsed the general way. */
  addEntry(e: Entry): void {
    this.push(e.sec, e.nsec, this.serviceId(serviceOf(e.labels) || "-"), -1, this.entries.push(e) - 1, 0, 0, 0);
  }

  push(sec: number, nsec: number, service: number, frame: number, lineStart: number, lineEnd: number, msgStart: number, msgEnd: number): void {
    const i = this.length++;
    if (i === this.sec.length) this.#resize(this.sec.length * 2);
    this.sec[i] = sec;
    this.nsec[i] = nsec;
    const r = i * RECORD;
    const rec = this.records;
    rec[r + FRAME] = frame;
    rec[r + LINE_START] = lineStart;
    rec[r + LINE_END] = lineEnd;
    rec[r + MSG_START] = msgStart;
    rec[r + MSG_END] = msgEnd;
    rec[r + SERVICE] = service;
    if (frame >= 0) this.#framePending[frame]!++;
  }

  /**
   * The pending hits in time order, and how many of them come before `bound` (all of them: null) — those printed,
   * `keep(order, end)` drops them.
   */
  printable(bound: Instant | null): { order: Uint32Array; end: number } {
    const n = this.length;
    const order = timeOrder(this.sec, this.nsec, n) ?? Uint32Array.from({ length: n }, (_, i) => i);
    if (bound === null) return { order, end: n };
    // The first in time order that is not earlier (binary search: the order is sorted by time).
    let lo = 0;
    for (let hi = n; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      const i = order[mid]!;
      if (this.sec[i]! < bound.sec || (this.sec[i] === bound.sec && this.nsec[i]! < bound.nsec)) lo = mid + 1;
      else hi = mid;
    }
    return { order, end: lo };
  }

  /** Keeps only the hits order[from…] (the ones before are printed), in that order; frees the frames none is in. */
  keep(order: Uint32Array, from: number): void {
    const n = this.length - from;
    const sec = new Float64Array(Math.max(1024, 2 * n));
    const nsec = new Int32Array(sec.length);
    const records = new Int32Array(sec.length * RECORD);
    const entries: Entry[] = [];
    for (let k = 0; k < from; k++) {
      const f = this.records[order[k]! * RECORD + FRAME]!;
      if (f >= 0 && --this.#framePending[f]! === 0) {
        this.frames[f] = null;
        this.#frameRelease[f]!();
      }
    }
    for (let k = 0; k < n; k++) {
      const i = order[from + k]!;
      sec[k] = this.sec[i]!;
      nsec[k] = this.nsec[i]!;
      records.set(this.records.subarray(i * RECORD, i * RECORD + RECORD), k * RECORD);
      if (records[k * RECORD + FRAME]! < 0) records[k * RECORD + ENTRY] = entries.push(this.entries[records[k * RECORD + ENTRY]!]!) - 1;
    }
    this.sec = sec;
    this.nsec = nsec;
    this.records = records;
    this.entries = entries;
    this.length = n;
  }

  #resize(size: number): void {
    const sec = new Float64Array(size);
    const nsec = new Int32Array(size);
    const records = new Int32Array(size * RECORD);
    sec.set(this.sec);
    nsec.set(this.nsec);
    records.set(this.records);
    this.sec = sec;
    this.nsec = nsec;
    this.records = records;
  }
}
