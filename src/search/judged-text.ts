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
import { TS_OPEN } from "../capture/stored-line-bytes.ts";
import { FACT_FIELDS, FACT_LINE, FACT_MSG_END, FACT_MSG_START, FACT_NSEC, FACT_SEC, FACT_SERVICE } from "../capture/reader/stored-line-judge.ts";
import type { JudgedGrepResult } from "./judged-grep.ts";

const CHUNK = 16 << 20;
const RECORD = 5;
const FRAME = 0;
const TS_START = 1;
const MSG_START = 2;
const MSG_END = 3;
const SERVICE = 4;

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

export async function judgedTextGrep(reader: CaptureReader, filter: EntryFilter, pattern: PlainLiterals): Promise<JudgedGrepResult> {
  const counts = new Map<string, number>();
  const hits = new Hits();
  const addEntry = (e: Entry) => {
    hits.entries.set(hits.length, e);
    hits.push(e.sec, e.nsec, hits.serviceId(serviceOf(e.labels) || "-"), -1, 0, 0, 0);
  };
  const spec = { literals: pattern.literals, fold: pattern.fold, labels: filter.labels, from: filter.from, to: filter.to, output: true, facts: true };
  for await (const b of reader.judged(spec)) {
    const before = hits.length;
    const stored = b.out && b.out.length > 0 ? new StoredHits(hits, b.out, b.facts!, b.services!) : null;
    b.rest.entries.forEach((e, i) => {
      stored?.addBefore(b.cuts[i]!);
      if (filter.matches(e)) addEntry(e);
    });
    stored?.addBefore(Infinity);
    const n = hits.length - before;
    if (n > 0) counts.set(b.file, (counts.get(b.file) ?? 0) + n);
  }
  await writeTextLines(hits);
  return { counts, matches: hits.length };
}

/** One frame's judged lines, added to the hits in `out` order from the judge's facts (judge-frame.ts). */
class StoredHits {
  readonly #hits: Hits;
  readonly #facts: Float64Array;
  readonly #frame: number;
  readonly #services: number[];
  #next = 0;

  constructor(hits: Hits, out: Uint8Array, facts: Float64Array, services: readonly string[]) {
    this.#hits = hits;
    this.#facts = facts;
    this.#frame = hits.frames.push(Buffer.from(out.buffer, out.byteOffset, out.length)) - 1;
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

/** In time order (stable), `HH:MM:SS.mmm [service] message`, the service padded to the widest printed. */
async function writeTextLines(h: Hits): Promise<void> {
  const n = h.length;
  if (n === 0) return;
  const order = timeOrder(h.sec, h.nsec, n);
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
