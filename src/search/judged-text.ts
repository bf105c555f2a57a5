/**
 * grep `--format text` for a pattern of plain literals, from the judged reads: the judge (on the search workers)
 * decides the matches, hands back the matching lines as stored (in the canonical form logtap writes) and tells of
 * each what it read on the way — time, message bounds, service (the judge's `facts`) — so no line is read again
 * here; each text line is then written from the stored bytes (stored-text-line.wat: clock from the stored timestamp,
 * message decoded from its stored escapes) instead of from a parsed entry. The lines the judge is unsure of come as
 * entries and are printed the general way (grep-output.ts). Output is byte-identical to the general path: the hits
 * sorted by time (stable: scan order breaks ties), the bracketed service padded to the widest, one line each. At
 * 15–50 % selectivity the general path spent a third of its time in JSON.parse (docs/benchmarks.md, Read matrix).
 */

import type { CaptureReader } from "../capture/reader/capture-reader.ts";
import type { EntryFilter } from "../capture/filters/entry-filter.ts";
import type { Entry } from "../model/entry.ts";
import { serviceOf } from "../capture/display-line.ts";
import { writeStdout } from "../common/stdout.ts";
import { StoredTextLineBuffer } from "../scan/stored-text-line-buffer.ts";
import type { PlainLiterals } from "../regex/plain-literals.ts";
import { grepClock } from "./grep-output.ts";
import { timeOrder } from "./time-order.ts";
import { widestService } from "./widest-service.ts";
import type { Instant } from "../capture/timestamp.ts";
import { TS_OPEN } from "../capture/stored-line-bytes.ts";
import { FACT_FIELDS, FACT_LINE, FACT_MSG_END, FACT_MSG_START, FACT_NSEC, FACT_SEC, FACT_SERVICE } from "../capture/reader/stored-line-judge.ts";
import type { JudgedGrepResult } from "./judged-grep.ts";

const CHUNK = 16 << 20;
/** Pending hits from which the ones before the index's bound are printed (fewer would sort the same hits again). */
const PRINT_AT = 1 << 16;
const RECORD = 5;
const FRAME = 0;
const TS_START = 1;
const MSG_START = 2;
const MSG_END = 3;
const SERVICE = 4;

/**
 * The hits not printed yet, in typed arrays (a million objects would cost more than the lines): in scan order, or
 * after a `keep`, the kept ones in time order and then the later ones in scan order — the order a stable sort by
 * time needs. What the output needs of a hit is one record of `RECORD` int32s: the sort by time visits hits in an
 * order far from scan order (pushes interleave in time), where one cache line per hit costs less than one per field.
 */
class Hits {
  length = 0;
  sec = new Float64Array(1024);
  nsec = new Int32Array(1024);
  /** Per hit: FRAME, TS_START, MSG_START, MSG_END, SERVICE (see the constants). */
  records = new Int32Array(1024 * RECORD);
  /** The few hits parsed the general way, by hit index. */
  entries = new Map<number, Entry>();
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

  /** `frame` -1: the hit is `entries.get(i)`; else the stored line's message is frames[frame][msgStart, msgEnd). */
  push(sec: number, nsec: number, service: number, frame: number, tsStart: number, msgStart: number, msgEnd: number): void {
    const i = this.length++;
    if (i === this.sec.length) this.#resize(this.sec.length * 2);
    this.sec[i] = sec;
    this.nsec[i] = nsec;
    const r = i * RECORD;
    const rec = this.records;
    rec[r + FRAME] = frame;
    rec[r + TS_START] = tsStart;
    rec[r + MSG_START] = msgStart;
    rec[r + MSG_END] = msgEnd;
    rec[r + SERVICE] = service;
    if (frame >= 0) this.#framePending[frame]!++;
  }

  /** Keeps only the hits order[from…] (printed: the ones before), in that order; frees frames none of them is in. */
  keep(order: Uint32Array, from: number): void {
    const n = this.length - from;
    const sec = new Float64Array(Math.max(1024, 2 * n));
    const nsec = new Int32Array(sec.length);
    const records = new Int32Array(sec.length * RECORD);
    const entries = new Map<number, Entry>();
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
      const e = this.entries.get(i);
      if (e !== undefined) entries.set(k, e);
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

/**
 * Text lines are printed as soon as both are known: the widest service (the index tells the widest a line can have;
 * once a hit has it, no later one can be wider) and that no later frame holds an earlier line (the index's frame
 * times, `laterFrom`). Until then — and for captures whose index cannot tell — the hits wait, as every hit did before.
 */
export async function judgedTextGrep(reader: CaptureReader, filter: EntryFilter, pattern: PlainLiterals): Promise<JudgedGrepResult> {
  const counts = new Map<string, number>();
  const hits = new Hits();
  let matches = 0;
  let widest: number | null = null;
  let out: TextLines | null = null;
  const addEntry = (e: Entry) => {
    hits.entries.set(hits.length, e);
    hits.push(e.sec, e.nsec, hits.serviceId(serviceOf(e.labels) || "-"), -1, 0, 0, 0);
  };
  const spec = { literals: pattern.literals, fold: pattern.fold, labels: filter.labels, from: filter.from, to: filter.to, output: true, facts: true };
  for await (const b of reader.judged(spec, (files) => (widest = widestService(files)))) {
    const before = hits.length;
    const stored = b.out && b.out.length > 0 ? new StoredHits(hits, b.out, b.facts!, b.services!, b.release) : null;
    b.rest.entries.forEach((e, i) => {
      stored?.addBefore(b.cuts[i]!);
      if (filter.matches(e)) addEntry(e);
    });
    stored?.addBefore(Infinity);
    const n = hits.length - before;
    if (n > 0) counts.set(b.file, (counts.get(b.file) ?? 0) + n);
    matches += n;
    if (out === null && widest !== null && hits.widest === widest) out = new TextLines(hits, widest + 2);
    if (out !== null && b.laterFrom !== null && hits.length >= PRINT_AT) await out.printBefore(b.laterFrom);
  }
  if (hits.length > 0) await (out ?? new TextLines(hits, hits.widest + 2)).printBefore(null);
  return { counts, matches };
}

/** One frame's judged lines, added to the hits in `out` order from the judge's facts (judge-frame.ts). */
class StoredHits {
  readonly #hits: Hits;
  readonly #facts: Float64Array;
  readonly #frame: number;
  readonly #services: number[];
  #next = 0;

  constructor(hits: Hits, out: Uint8Array, facts: Float64Array, services: readonly string[], release: () => void) {
    this.#hits = hits;
    this.#facts = facts;
    this.#frame = hits.addFrame(Buffer.from(out.buffer, out.byteOffset, out.length), release);
    this.#services = services.map((s) => hits.serviceId(s));
  }

  /** The lines that start before offset `cut` of the frame's output, not added yet. */
  addBefore(cut: number): void {
    const f = this.#facts;
    for (; this.#next < f.length && f[this.#next + FACT_LINE]! < cut; this.#next += FACT_FIELDS) {
      const g = this.#next;
      const service = this.#services[f[g + FACT_SERVICE]!]!;
      this.#hits.push(f[g + FACT_SEC]!, f[g + FACT_NSEC]!, service, this.#frame, f[g + FACT_LINE]! + TS_OPEN.length, f[g + FACT_MSG_START]!, f[g + FACT_MSG_END]!);
    }
  }
}

/** `HH:MM:SS.mmm [service] message` lines, the bracketed service padded to `width`, printed in time order (stable). */
class TextLines {
  readonly #hits: Hits;
  readonly #width: number;
  readonly #buffer = new StoredTextLineBuffer(CHUNK);
  /** By hit service id: the text between clock and message, and its id in the buffer. */
  readonly #texts: Buffer[] = [];
  readonly #ids: number[] = [];

  constructor(hits: Hits, width: number) {
    this.#hits = hits;
    this.#width = width;
  }

  /** Prints the pending hits earlier than `bound` (all: null) and keeps the others pending. */
  async printBefore(bound: Instant | null): Promise<void> {
    const h = this.#hits;
    const n = h.length;
    const order = timeOrder(h.sec, h.nsec, n) ?? Uint32Array.from({ length: n }, (_, i) => i);
    let end = n;
    if (bound !== null) {
      // The first in time order that is not earlier (binary search: the order is sorted by time).
      let lo = 0;
      for (let hi = n; lo < hi; ) {
        const mid = (lo + hi) >>> 1;
        const i = order[mid]!;
        if (h.sec[i]! < bound.sec || (h.sec[i] === bound.sec && h.nsec[i]! < bound.nsec)) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    await this.#print(order, end);
    h.keep(order, end);
  }

  async #print(order: Uint32Array, end: number): Promise<void> {
    const h = this.#hits;
    const rec = h.records;
    const out = this.#buffer;
    // One buffer, reused: writeStdout resolves once the OS has the bytes.
    let chunk = out.bytes;
    let p = 0;
    for (let k = 0; k < end; k++) {
      const i = order[k]!;
      const r = i * RECORD;
      const f = rec[r + FRAME]!;
      const entry = f < 0 ? h.entries.get(i) : undefined;
      const service = rec[r + SERVICE]!;
      const svc = (this.#texts[service] ??= Buffer.from(` ${`[${h.services[service]}]`.padEnd(this.#width)} `));
      const tsStart = rec[r + TS_START]!;
      const msgEnd = rec[r + MSG_END]!;
      // A stored message decodes to at most its stored length; the stored line is copied from its timestamp.
      const need = 13 + svc.length + (entry === undefined ? msgEnd - tsStart : Buffer.byteLength(entry.msg));
      if (p + need > chunk.length) {
        if (p > 0) await writeStdout(chunk.subarray(0, p));
        out.reserve(need);
        chunk = out.bytes;
        p = 0;
      }
      if (entry === undefined) {
        let id = this.#ids[service];
        if (id === undefined) {
          id = this.#ids[service] = out.addService(svc);
          // Growing the memory for it detached the view.
          chunk = out.bytes;
        }
        p = out.writeStoredLine(h.frames[f]!, tsStart, rec[r + MSG_START]!, msgEnd, id, p);
      } else {
        p += chunk.write(grepClock(entry), p, "latin1");
        p += svc.copy(chunk, p);
        p += chunk.write(entry.msg, p, "utf8");
        chunk[p++] = 10;
      }
    }
    if (p > 0) await writeStdout(chunk.subarray(0, p));
  }
}
