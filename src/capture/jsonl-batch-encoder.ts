/**
 * Entries → capture JSONL bytes for a whole batch, written straight into one byte buffer: messages go in with
 * `TextEncoder.encodeInto` and are rewritten only when a byte needs Go's escaping; the per-second timestamp prefix and
 * each label set's JSON are cached as bytes. Byte-identical to `encodeEntryLine` per line (tests/capture/
 * jsonl-batch-encoder.test.ts), and about twice as fast as building and joining strings — the receiver's hottest
 * stage (docs/benchmarks.md, Ingest).
 */

import type { EntryBatch, Labels } from "../model/entry.ts";
import type { JsonlBatch } from "../model/jsonl-batch.ts";
import { goQuote, goStringMap } from "./go-json.ts";
import { formatInstant } from "./timestamp.ts";
import { MSG_KEY, TS_OPEN } from "./stored-line-bytes.ts";

const te = new TextEncoder();
const ascii = (s: string): Uint8Array => te.encode(s);

const HEX = ascii("0123456789abcdef");

/** 1 = byte needs an escape in a Go-style JSON string (", \, controls, <, >, &); 2 = 0xE2, maybe U+2028/U+2029. */
const ESC = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESC[b] = 1;
ESC[0x22] = ESC[0x5c] = ESC[0x3c] = ESC[0x3e] = ESC[0x26] = 1;
ESC[0xe2] = 2;
/** Second byte of a two-byte escape (\n, \", …); 0 = use \u00XX. */
const SHORT = new Uint8Array(256);
SHORT[0x08] = 0x62; SHORT[0x09] = 0x74; SHORT[0x0a] = 0x6e; SHORT[0x0c] = 0x66; SHORT[0x0d] = 0x72; SHORT[0x22] = 0x22; SHORT[0x5c] = 0x5c;

const labelBytes = new WeakMap<Labels, Uint8Array>();
function labelsOf(labels: Labels): Uint8Array {
  let b = labelBytes.get(labels);
  if (b === undefined) {
    b = ascii(Object.keys(labels).length === 0 ? "" : `,"labels":${goStringMap(labels)}`);
    labelBytes.set(labels, b);
  }
  return b;
}

const prefixCache: { sec: number; bytes: Uint8Array } = { sec: Number.NaN, bytes: new Uint8Array(0) };
function prefixOf(sec: number): Uint8Array {
  if (sec !== prefixCache.sec) {
    prefixCache.sec = sec;
    prefixCache.bytes = ascii(formatInstant(sec, 0).slice(0, -1));
  }
  return prefixCache.bytes;
}

function grow(o: Uint8Array, p: number, more: number): Uint8Array {
  let cap = o.length * 2;
  while (cap < p + more) cap *= 2;
  const next = new Uint8Array(cap);
  next.set(o.subarray(0, p));
  return next;
}

const scratchBox: { buf: Uint8Array } = { buf: new Uint8Array(1 << 16) };

/**
 * Rewrites o[from, end) (raw UTF-8 of a message) with Go/JSON escapes, from the first byte needing one.
 * `o` must have room for (end - from) * 6 bytes from `from`. Returns the new end.
 */
function escapeTail(o: Uint8Array, from: number, end: number): number {
  const n = end - from;
  let sc = scratchBox.buf;
  if (sc.length < n) sc = scratchBox.buf = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) sc[i] = o[from + i]!;
  let p = from;
  for (let i = 0; i < n; i++) {
    const b = sc[i]!;
    const e = ESC[b]!;
    if (e === 0) {
      o[p++] = b;
    } else if (e === 1) {
      o[p++] = 0x5c;
      const s = SHORT[b]!;
      if (s !== 0) {
        o[p++] = s;
      } else {
        o[p] = 0x75; o[p + 1] = 0x30; o[p + 2] = 0x30; o[p + 3] = HEX[b >> 4]!; o[p + 4] = HEX[b & 15]!;
        p += 5;
      }
    } else if (i + 2 < n && sc[i + 1] === 0x80 && (sc[i + 2] === 0xa8 || sc[i + 2] === 0xa9)) {
      // U+2028 / U+2029 → \u2028 / \u2029
      o[p] = 0x5c; o[p + 1] = 0x75; o[p + 2] = 0x32; o[p + 3] = 0x30; o[p + 4] = 0x32;
      o[p + 5] = sc[i + 2] === 0xa8 ? 0x38 : 0x39;
      p += 6;
      i += 2;
    } else {
      o[p++] = b;
    }
  }
  return p;
}

/**
 * Encodes a batch into a buffer of its own, exactly its size (the scratch it is encoded in is reused): safe to keep.
 */
export function encodeJsonlBatch(batch: EntryBatch): JsonlBatch {
  const { buffer, bytes, ends } = encodeInto(batch, encodeScratch.buf);
  // Keep the grown buffer for the next batch, unless one huge batch made it big enough to matter.
  encodeScratch.buf = buffer.length <= MAX_KEPT_BUFFER ? buffer : new Uint8Array(0);
  return { entries: batch.entries, bytes: bytes.slice(), ends };
}

/**
 * Reusable encoding buffers, for a pipeline whose sink says when it is done with a batch's bytes: the receiver
 * encodes ~1.5 MB per push, and a fresh buffer per batch was one of the largest sources of garbage.
 */
export class JsonlBufferPool {
  readonly #free: Uint8Array[] = [];

  /** Encodes into a pooled buffer; `release()` on the result gives the buffer back (then its bytes may change). */
  encode(batch: EntryBatch): JsonlBatch {
    const { buffer, bytes, ends } = encodeInto(batch, this.#free.pop() ?? new Uint8Array(0));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (buffer.length <= MAX_KEPT_BUFFER && this.#free.length < MAX_POOLED) this.#free.push(buffer);
    };
    return { entries: batch.entries, bytes, ends, release };
  }
}

const MAX_KEPT_BUFFER = 16 << 20;
const MAX_POOLED = 4;
const encodeScratch: { buf: Uint8Array } = { buf: new Uint8Array(0) };

/** Encodes into `buf` (or a bigger buffer when it is too small); returns the buffer used and a view of the lines. */
function encodeInto(batch: EntryBatch, buf: Uint8Array): { buffer: Uint8Array; bytes: Uint8Array; ends: Uint32Array } {
  const { entries } = batch;
  const ends = new Uint32Array(entries.length);
  let chars = 0;
  for (let i = 0; i < entries.length; i++) chars += entries[i]!.msg.length;
  const want = Math.max(4096, Math.ceil(chars * 1.25) + entries.length * 120);
  let o: Uint8Array = buf.length >= want ? buf : new Uint8Array(want);
  let p = 0;
  // Entries of a stream are adjacent and share one labels object: skip the WeakMap lookup while it repeats.
  let lastLabels: Labels | null = null;
  let lb: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const msg = e.msg;
    if (e.labels !== lastLabels) {
      lastLabels = e.labels;
      lb = labelsOf(e.labels);
    }
    // Room for the fixed parts (≤ 64 bytes), the labels and the raw message (≤ 3 UTF-8 bytes per UTF-16 unit).
    const need = 64 + lb.length + msg.length * 3;
    if (p + need > o.length) o = grow(o, p, need);
    for (let k = 0; k < 7; k++) o[p + k] = TS_OPEN[k]!;
    p += 7;
    const pre = prefixOf(e.sec);
    for (let k = 0; k < pre.length; k++) o[p + k] = pre[k]!;
    p += pre.length;
    let ns = e.nsec;
    if (ns !== 0) {
      o[p] = 0x2e;
      let digits = 9;
      while (ns % 10 === 0) {
        ns /= 10;
        digits--;
      }
      for (let k = digits; k > 0; k--) {
        o[p + k] = 0x30 + (ns % 10);
        ns = (ns - (ns % 10)) / 10;
      }
      p += digits + 1;
    }
    o[p] = 0x5a; // Z
    o[p + 1] = 0x22;
    p += 2;
    if (lb.length > 32) o.set(lb, p);
    else for (let k = 0; k < lb.length; k++) o[p + k] = lb[k]!;
    p += lb.length;
    for (let k = 0; k < 8; k++) o[p + k] = MSG_KEY[k]!;
    p += 8;
    if (msg.isWellFormed()) {
      const start = p;
      const end = start + te.encodeInto(msg, o.subarray(p)).written!;
      let k = start;
      while (k < end && ESC[o[k]!] === 0) k++;
      if (k === end) p = end;
      else {
        // Escaping rewrites in place and can grow the rest sixfold.
        if (end + (end - k) * 5 + 64 > o.length) o = grow(o, end, (end - k) * 5 + 64);
        p = escapeTail(o, k, end);
      }
    } else {
      // Lone surrogates: JSON.stringify escapes them as \udXXX; keep its exact output (without the opening quote).
      const q = goQuote(msg).slice(1);
      if (p + q.length * 3 + 64 > o.length) o = grow(o, p, q.length * 3 + 64);
      p += te.encodeInto(q, o.subarray(p)).written! - 1;
    }
    o[p++] = 0x22;
    if (e.meta !== undefined) {
      const m = ',"meta":' + goStringMap(e.meta);
      if (p + m.length * 3 + 2 > o.length) o = grow(o, p, m.length * 3 + 2);
      p += te.encodeInto(m, o.subarray(p)).written!;
    }
    o[p] = 0x7d; // }
    o[p + 1] = 0x0a;
    p += 2;
    ends[i] = p;
  }
  return { buffer: o, bytes: o.subarray(0, p), ends };
}
