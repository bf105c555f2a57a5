/**
 * grep `--format text` for a pattern of plain literals, from the judged reads: the judge (on the search workers)
 * decides the matches and hands back the matching lines as stored, in the canonical form logtap writes; each such
 * line is read here by its bytes — clock from the stored timestamp, service from the label set (one JSON.parse per
 * set), message as stored, its escapes decoded as it is written — instead of being parsed into an entry. The lines the judge is
 * unsure of come as entries and are printed the general way (grep-output.ts). Output is byte-identical to the
 * general path: the hits sorted by time (stable: scan order breaks ties), the bracketed service padded to the
 * widest, one line each. At 15–50 % selectivity the general path spent a third of its time in JSON.parse
 * (docs/benchmarks.md, Read matrix).
 */

import type { CaptureReader } from "../capture/reader/capture-reader.ts";
import type { EntryFilter } from "../capture/filters/entry-filter.ts";
import type { Entry } from "../model/entry.ts";
import { labelsFromJson } from "../capture/entry-line.ts";
import { parseRfc3339Fast } from "../capture/timestamp.ts";
import { serviceOf } from "../capture/display-line.ts";
import { writeStdout } from "../common/stdout.ts";
import { StoredTextLineBuffer } from "../scan/stored-text-line-buffer.ts";
import type { PlainLiterals } from "../regex/plain-literals.ts";
import { grepClock } from "./grep-output.ts";
import { bytesAt, LABELS_KEY, MSG_KEY, TS_OPEN } from "../capture/stored-line-bytes.ts";
import type { JudgedGrepResult } from "./judged-grep.ts";

const CHUNK = 16 << 20;
const RECORD = 5;
const FRAME = 0;
const TS_START = 1;
const MSG_START = 2;
const MSG_END = 3;
const SERVICE = 4;
/** What a fraction of n digits is multiplied by to be nanoseconds. */
const NSEC_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/**
 * The hits in scan order, in typed arrays (a million objects would cost more than the lines). What the output needs of
 * a hit is one record of `RECORD` int32s: the sort by time visits hits in an order far from scan order (pushes
 * interleave in time), where one cache line per hit costs less than one per field.
 */
class Hits {
  length = 0;
  sec = new Float64Array(1024);
  nsec = new Int32Array(1024);
  /** Per hit: FRAME, TS_START, MSG_START, MSG_END, SERVICE (see the constants). */
  records = new Int32Array(1024 * RECORD);
  /** The few hits parsed the general way, by hit index. */
  entries = new Map<number, Entry>();
  frames: Buffer[] = [];
  services: string[] = [];
  #serviceIds = new Map<string, number>();

  serviceId(name: string): number {
    let id = this.#serviceIds.get(name);
    if (id === undefined) this.#serviceIds.set(name, (id = this.services.push(name) - 1));
    return id;
  }

  /** `frame` -1: the hit is `entries.get(i)`; else the stored line's message is frames[frame][msgStart, msgEnd). */
  push(sec: number, nsec: number, service: number, frame: number, tsStart: number, msgStart: number, msgEnd: number): void {
    const i = this.length++;
    if (i === this.sec.length) this.#grow();
    this.sec[i] = sec;
    this.nsec[i] = nsec;
    const r = i * RECORD;
    const rec = this.records;
    rec[r + FRAME] = frame;
    rec[r + TS_START] = tsStart;
    rec[r + MSG_START] = msgStart;
    rec[r + MSG_END] = msgEnd;
    rec[r + SERVICE] = service;
  }

  #grow(): void {
    const grown = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.sec = grown(this.sec, (n) => new Float64Array(n));
    this.nsec = grown(this.nsec, (n) => new Int32Array(n));
    this.records = grown(this.records, (n) => new Int32Array(n));
  }
}

/** Reads the judged lines of one frame's output buffer into `hits` (each line canonical: see the module comment). */
class StoredLineReader {
  readonly #hits: Hits;
  #lastSecond = Buffer.alloc(19);
  #lastSec = NaN;
  #lastLabels = Buffer.alloc(0);
  #lastService = -1;
  readonly #serviceOfLabels = new Map<string, number>();

  constructor(hits: Hits) {
    this.#hits = hits;
  }

  /** The lines of out[from, to) (whole lines, each ending with a newline). */
  read(out: Uint8Array, frame: number, from: number, to: number): void {
    const buf = Buffer.from(out.buffer, out.byteOffset, out.length);
    for (let s = from; s < to; ) {
      const e = buf.indexOf(10, s);
      this.#line(buf, frame, s, e);
      s = e + 1;
    }
  }

  #line(buf: Buffer, frame: number, start: number, end: number): void {
    const h = this.#hits;
    const tsStart = start + TS_OPEN.length;
    if (!bytesAt(buf, tsStart, this.#lastSecond)) {
      buf.copy(this.#lastSecond, 0, tsStart, tsStart + 19);
      this.#lastSec = parseRfc3339Fast(buf.toString("latin1", tsStart, tsStart + 19) + "Z")!.sec;
    }
    // Canonical: `…:SS` then `.` and 1–9 digits, or none, then `Z"`.
    let nsec = 0;
    let tsEnd = tsStart + 20;
    if (buf[tsStart + 19] === 46) {
      for (; buf[tsEnd] !== 90; tsEnd++) nsec = nsec * 10 + buf[tsEnd]! - 48;
      nsec *= NSEC_SCALE[tsEnd - tsStart - 20]!;
      tsEnd++;
    }
    let msgStart: number;
    let service: number;
    if (buf[tsEnd + 3] === 108 /* l */ && bytesAt(buf, tsEnd + 1, LABELS_KEY)) {
      const lStart = tsEnd + 1 + LABELS_KEY.length;
      const lEnd = buf.indexOf(MSG_KEY, lStart);
      service = this.#service(buf, lStart, lEnd);
      msgStart = lEnd + MSG_KEY.length;
    } else {
      service = h.serviceId("-");
      msgStart = tsEnd + 1 + MSG_KEY.length;
    }
    // The message is the last field, or `meta` follows it (`","meta":{` cannot occur inside a JSON string).
    const msgEnd = buf[end - 2] === 34 ? end - 2 : buf.indexOf('","meta":', msgStart);
    h.push(this.#lastSec, nsec, service, frame, tsStart, msgStart, msgEnd);
  }

  #service(buf: Buffer, from: number, to: number): number {
    // One native compare: a label set is a hundred bytes or more, and it seldom changes from one hit to the next.
    if (this.#lastService >= 0 && to - from === this.#lastLabels.length && this.#lastLabels.compare(buf, from, to) === 0) return this.#lastService;
    const key = buf.toString("latin1", from, to);
    let id = this.#serviceOfLabels.get(key);
    if (id === undefined) {
      id = this.#hits.serviceId(serviceOf(labelsFromJson(buf.toString("utf8", from, to))!) || "-");
      this.#serviceOfLabels.set(key, id);
    }
    this.#lastLabels = Buffer.from(buf.subarray(from, to));
    this.#lastService = id;
    return id;
  }
}

export async function judgedTextGrep(reader: CaptureReader, filter: EntryFilter, pattern: PlainLiterals): Promise<JudgedGrepResult> {
  const counts = new Map<string, number>();
  const hits = new Hits();
  const lines = new StoredLineReader(hits);
  const addEntry = (e: Entry) => {
    hits.entries.set(hits.length, e);
    hits.push(e.sec, e.nsec, hits.serviceId(serviceOf(e.labels) || "-"), -1, 0, 0, 0);
  };
  const spec = { literals: pattern.literals, fold: pattern.fold, labels: filter.labels, from: filter.from, to: filter.to, output: true };
  for await (const b of reader.judged(spec)) {
    const before = hits.length;
    const frame = b.out && b.out.length > 0 ? hits.frames.push(Buffer.from(b.out.buffer, b.out.byteOffset, b.out.length)) - 1 : -1;
    let at = 0;
    b.rest.entries.forEach((e, i) => {
      lines.read(b.out!, frame, at, b.cuts[i]!);
      at = b.cuts[i]!;
      if (filter.matches(e)) addEntry(e);
    });
    if (b.out) lines.read(b.out, frame, at, b.out.length);
    const n = hits.length - before;
    if (n > 0) counts.set(b.file, (counts.get(b.file) ?? 0) + n);
  }
  await writeTextLines(hits);
  return { counts, matches: hits.length };
}

/** In time order (stable), `HH:MM:SS.mmm [service] message`, the service padded to the widest printed. */
async function writeTextLines(h: Hits): Promise<void> {
  const n = h.length;
  if (n === 0) return;
  const order = timeOrder(h);
  const rec = h.records;
  const width = Math.max(...h.services.map((s) => s.length + 2));
  const services = h.services.map((s) => Buffer.from(` ${`[${s}]`.padEnd(width)} `));
  // One buffer, reused: writeStdout resolves once the OS has the bytes.
  const out = new StoredTextLineBuffer(services, CHUNK);
  let chunk = out.bytes;
  let p = 0;
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k]!;
    const r = i * RECORD;
    const f = rec[r + FRAME]!;
    const entry = f < 0 ? h.entries.get(i) : undefined;
    const svc = services[rec[r + SERVICE]!]!;
    const tsStart = rec[r + TS_START]!;
    const msgEnd = rec[r + MSG_END]!;
    // A stored message decodes to at most its stored length; the stored line is copied from its timestamp.
    const need = entry === undefined ? 13 + svc.length + msgEnd - tsStart : 13 + svc.length + Buffer.byteLength(entry.msg);
    if (p + need > chunk.length) {
      if (p > 0) await writeStdout(chunk.subarray(0, p));
      out.reserve(need);
      chunk = out.bytes;
      p = 0;
    }
    if (entry === undefined) p = out.writeStoredLine(h.frames[f]!, tsStart, rec[r + MSG_START]!, msgEnd, rec[r + SERVICE]!, p);
    else {
      p += chunk.write(grepClock(entry), p, "latin1");
      p += svc.copy(chunk, p);
      p += chunk.write(entry.msg, p, "utf8");
      chunk[p++] = 10;
    }
  }
  await writeStdout(chunk.subarray(0, p));
}

/** The permutation that sorts the hits by time, stably; null when they already are (the usual case). */
function timeOrder(h: Hits): Uint32Array | null {
  const { sec, nsec, length } = h;
  let sorted = true;
  for (let i = 1; i < length && sorted; i++) if (sec[i]! < sec[i - 1]! || (sec[i] === sec[i - 1] && nsec[i]! < nsec[i - 1]!)) sorted = false;
  if (sorted) return null;
  const order = Uint32Array.from({ length }, (_, i) => i);
  return order.sort((a, b) => sec[a]! - sec[b]! || nsec[a]! - nsec[b]! || a - b);
}
