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
import type { PlainLiterals } from "../regex/plain-literals.ts";
import { grepClock } from "./grep-output.ts";
import { bytesAt, LABELS_KEY, MSG_KEY, TS_OPEN } from "../capture/stored-line-bytes.ts";
import type { JudgedGrepResult } from "./judged-grep.ts";

const CHUNK = 16 << 20;

/** The hits in scan order, as parallel arrays (a million objects would cost more than the lines). */
class Hits {
  sec: number[] = [];
  nsec: number[] = [];
  service: number[] = [];
  /** Index into `frames` of the stored line's buffer, or -1: the hit is `entries.get(i)` (a line the judge was unsure of). */
  frame: number[] = [];
  /** Stored line: where its timestamp starts; the message is bytes [msgStart, msgEnd) when `frame` ≥ 0. */
  tsStart: number[] = [];
  msgStart: number[] = [];
  msgEnd: number[] = [];
  /** The stored message holds escapes (decoded as it is written). */
  escaped: boolean[] = [];
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

  get length(): number {
    return this.sec.length;
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
  /** Where the next backslash of the buffer being read is (-1: not searched yet; Infinity: none left). */
  #backslash = -1;

  constructor(hits: Hits) {
    this.#hits = hits;
  }

  /** The lines of out[from, to) (whole lines, each ending with a newline). */
  read(out: Uint8Array, frame: number, from: number, to: number): void {
    const buf = Buffer.from(out.buffer, out.byteOffset, out.length);
    this.#backslash = -1;
    for (let s = from; s < to; ) {
      const e = buf.indexOf(10, s);
      this.#line(buf, frame, s, e);
      s = e + 1;
    }
  }

  #line(buf: Buffer, frame: number, start: number, end: number): void {
    const h = this.#hits;
    const tsStart = start + TS_OPEN.length;
    const tsEnd = buf.indexOf(34, tsStart);
    if (!bytesAt(buf, tsStart, this.#lastSecond)) {
      buf.copy(this.#lastSecond, 0, tsStart, tsStart + 19);
      this.#lastSec = parseRfc3339Fast(buf.toString("latin1", tsStart, tsStart + 19) + "Z")!.sec;
    }
    let nsec = 0;
    let digits = 0;
    for (let i = tsStart + 20; i < tsEnd - 1; i++, digits++) nsec = nsec * 10 + buf[i]! - 48;
    for (; digits < 9; digits++) nsec *= 10;
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
    // The next backslash of the buffer, searched again only once passed: a search per line would rescan the same
    // bytes for every line up to the next escape.
    if (this.#backslash < msgStart) {
      const at = buf.indexOf(92, msgStart);
      this.#backslash = at < 0 ? Infinity : at;
    }
    h.sec.push(this.#lastSec);
    h.nsec.push(nsec);
    h.service.push(service);
    h.frame.push(frame);
    h.tsStart.push(tsStart);
    h.msgStart.push(msgStart);
    h.msgEnd.push(msgEnd);
    h.escaped.push(this.#backslash < msgEnd);
  }

  #service(buf: Buffer, from: number, to: number): number {
    if (this.#lastService >= 0 && to - from === this.#lastLabels.length && bytesAt(buf, from, this.#lastLabels)) return this.#lastService;
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
    hits.sec.push(e.sec);
    hits.nsec.push(e.nsec);
    hits.service.push(hits.serviceId(serviceOf(e.labels) || "-"));
    hits.frame.push(-1);
    hits.tsStart.push(0);
    hits.msgStart.push(0);
    hits.msgEnd.push(0);
    hits.escaped.push(false);
    hits.entries.set(hits.length - 1, e);
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
  const width = Math.max(...h.services.map((s) => s.length + 2));
  const services = h.services.map((s) => Buffer.from(` ${`[${s}]`.padEnd(width)} `));
  // One chunk, reused: writeStdout resolves once the OS has the bytes.
  let chunk = Buffer.allocUnsafe(CHUNK);
  let p = 0;
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k]!;
    const f = h.frame[i]!;
    const entry = f < 0 ? h.entries.get(i) : undefined;
    const text = entry?.msg;
    const svc = services[h.service[i]!]!;
    // A stored message decodes to at most its stored length (escapes only shrink).
    const msgBytes = text === undefined ? h.msgEnd[i]! - h.msgStart[i]! : Buffer.byteLength(text);
    const need = 12 + svc.length + msgBytes + 1;
    if (p + need > chunk.length) {
      if (p > 0) await writeStdout(chunk.subarray(0, p));
      if (need > chunk.length) chunk = Buffer.allocUnsafe(need);
      p = 0;
    }
    if (entry !== undefined) p += chunk.write(grepClock(entry), p, "latin1");
    else p = storedClock(h.frames[f]!, h.tsStart[i]!, chunk, p);
    p += svc.copy(chunk, p);
    if (text !== undefined) p += chunk.write(text, p, "utf8");
    else if (h.escaped[i]) p = unescapeInto(h.frames[f]!, h.msgStart[i]!, h.msgEnd[i]!, chunk, p);
    else p += h.frames[f]!.copy(chunk, p, h.msgStart[i]!, h.msgEnd[i]!);
    chunk[p++] = 10;
  }
  await writeStdout(chunk.subarray(0, p));
}

/**
 * The UTF-8 text of a stored JSON string body src[from, to) written at out[p] (returns the end). The judge let
 * through only the short escapes (quote, backslash, b f n r t) and \u escapes of controls, `<>&` and U+2028/9 (no
 * surrogates), so each decodes to at most its own length.
 */
function unescapeInto(src: Buffer, from: number, to: number, out: Buffer, p: number): number {
  let copied = from;
  for (let i = src.indexOf(92, from); i >= 0 && i < to; i = src.indexOf(92, i)) {
    p += src.copy(out, p, copied, i);
    const e = src[i + 1]!;
    if (e === 117) {
      let code = 0;
      for (let k = 2; k < 6; k++) {
        const c = src[i + k]!;
        code = code * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
      }
      if (code < 0x80) out[p++] = code;
      else if (code < 0x800) {
        out[p++] = 0xc0 | (code >> 6);
        out[p++] = 0x80 | (code & 63);
      } else {
        out[p++] = 0xe0 | (code >> 12);
        out[p++] = 0x80 | ((code >> 6) & 63);
        out[p++] = 0x80 | (code & 63);
      }
      i += 6;
    } else {
      out[p++] = e === 110 ? 10 : e === 116 ? 9 : e === 114 ? 13 : e === 98 ? 8 : e === 102 ? 12 : e;
      i += 2;
    }
    copied = i;
  }
  return p + src.copy(out, p, copied, to);
}

/** `HH:MM:SS.mmm` from a stored canonical timestamp (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`), as grepClock writes it. */
function storedClock(line: Buffer, ts: number, out: Buffer, p: number): number {
  line.copy(out, p, ts + 11, ts + 19);
  out[p + 8] = 46;
  let q = ts + 20;
  for (let k = 0; k < 3; k++) {
    const c = line[q]!;
    // The fraction ends at `Z`; a second with none (`…:SSZ`) has `Z` where the `.` would be.
    const digit = line[ts + 19] === 46 && c >= 48 && c <= 57;
    out[p + 9 + k] = digit ? c : 48;
    if (digit) q++;
  }
  return p + 12;
}

/** The permutation that sorts the hits by time, stably; null when they already are (the usual case). */
function timeOrder(h: Hits): Uint32Array | null {
  const { sec, nsec } = h;
  let sorted = true;
  for (let i = 1; i < sec.length && sorted; i++) if (sec[i]! < sec[i - 1]! || (sec[i] === sec[i - 1] && nsec[i]! < nsec[i - 1]!)) sorted = false;
  if (sorted) return null;
  const order = Uint32Array.from({ length: sec.length }, (_, i) => i);
  return order.sort((a, b) => sec[a]! - sec[b]! || nsec[a]! - nsec[b]! || a - b);
}
