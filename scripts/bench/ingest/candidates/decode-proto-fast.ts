/**
 * Candidate replacement for `decodeProto`: a hand-written reader for Loki's four push messages instead of
 * protobuf-es' reflective `fromBinary`. It builds the `Entry` objects straight from the wire: no intermediate
 * EntryAdapter/Timestamp objects, no BigInt per timestamp. Same output as decodeProto on valid input (checked by
 * scripts/bench/ingest/stages.ts); strings decoded as protobuf-es does (lenient UTF-8, U+FEFF kept).
 * Benchmark-only prototype; see docs/benchmarks.md (Ingest).
 *
 * Wire schema (Loki pkg/push/push.proto): PushRequest{1: repeated StreamAdapter streams; 2: string format}
 * StreamAdapter{1: string labels; 2: repeated EntryAdapter entries; 3: uint64 hash}
 * EntryAdapter{1: Timestamp timestamp; 2: string line; 3: repeated LabelPairAdapter structuredMetadata; 4: parsed}
 * Timestamp{1: int64 seconds; 2: int32 nanos}; LabelPairAdapter{1: string name; 2: string value}
 */

import type { Entry, Labels } from "../../../../pipeline/entry.ts";
import { nowInstant } from "../../../../src/capture/timestamp.ts";
import { setOwn } from "../../../../src/protocols/labels-interner.ts";
import { parseLabelString } from "../../../../src/protocols/loki/label-string.ts";
import { PushDecodeError } from "../../../../src/protocols/push-decode-error.ts";

const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function bad(reason: string): never {
  throw new PushDecodeError(`invalid protobuf: ${reason}`);
}

/**
 * Varint at `pos` (≤ 10 bytes) as a signed number exact up to 2^53 (int64 seconds, lengths, tags). Returns the value;
 * the position after it is left in `after` — only the multi-byte path comes here, one-byte varints are inlined.
 */
let after = 0;
function varintSlow(buf: Uint8Array, pos: number): number {
  let lo = 0;
  let b = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    b = buf[pos++]!;
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      if (pos > buf.length) bad("premature EOF");
      after = pos;
      return lo >>> 0;
    }
  }
  b = buf[pos++]!;
  lo |= (b & 0x0f) << 28;
  let hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    for (let shift = 3; shift <= 31; shift += 7) {
      b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    if (b >= 0x80) bad("varint too long");
  }
  if (pos > buf.length) bad("premature EOF");
  after = pos;
  return (hi | 0) * 4294967296 + (lo >>> 0);
}

// Wire type of each known field number, per message (-1 = unknown field, skipped whatever its type).
const PUSH = Int8Array.of(-1, 2, 2);
const STREAM = Int8Array.of(-1, 2, 2, 0);
const ENTRY = Int8Array.of(-1, 2, 2, 2, 2);
const TIMESTAMP = Int8Array.of(-1, 0, 0);
const PAIR = Int8Array.of(-1, 2, 2);

/** Position after skipping the field whose tag ended at `pos`; a known field with the wrong wire type is an error. */
function skipField(buf: Uint8Array, pos: number, tag: number, end: number, known: Int8Array): number {
  const field = tag >>> 3;
  if (field === 0) bad("illegal tag: field no 0");
  if (field < known.length && known[field] !== (tag & 7) && known[field] !== -1) bad(`wrong wire type ${tag & 7} for field ${field}`);
  switch (tag & 7) {
    case 0:
      varintSlow(buf, pos);
      pos = after;
      break;
    case 1:
      pos += 8;
      break;
    case 2: {
      const len = varintSlow(buf, pos);
      pos = after + len;
      break;
    }
    case 5:
      pos += 4;
      break;
    default:
      bad(`cannot skip wire type ${tag & 7}`);
  }
  if (pos > end) bad("premature EOF");
  return pos;
}

const PENDING: Labels = Object.freeze({});

export function decodeProtoFast(buf: Uint8Array): Entry[] {
  const entries: Entry[] = [];
  const end = buf.length;
  let pos = 0;
  let v = 0;
  while (pos < end) {
    // tag
    v = buf[pos]!;
    if (v < 0x80) pos++;
    else {
      v = varintSlow(buf, pos);
      pos = after;
    }
    if (v !== 0x0a) {
      pos = skipField(buf, pos, v, end, PUSH);
      continue;
    }
    // StreamAdapter
    v = buf[pos]!;
    if (v < 0x80) pos++;
    else {
      v = varintSlow(buf, pos);
      pos = after;
    }
    const sEnd = pos + v;
    if (sEnd > end) bad("premature EOF");
    const first = entries.length;
    let raw = "";
    while (pos < sEnd) {
      v = buf[pos]!;
      if (v < 0x80) pos++;
      else {
        v = varintSlow(buf, pos);
        pos = after;
      }
      if (v === 0x12) {
        // EntryAdapter
        v = buf[pos]!;
        if (v < 0x80) pos++;
        else {
          v = varintSlow(buf, pos);
          pos = after;
        }
        const eEnd = pos + v;
        if (eEnd > sEnd) bad("premature EOF");
        let hasTs = false;
        let sec = 0;
        let nsec = 0;
        let line = "";
        let names: string[] | null = null;
        let values: string[] | null = null;
        while (pos < eEnd) {
          const tag = buf[pos]!;
          if (tag < 0x80) pos++;
          else {
            const t = varintSlow(buf, pos);
            pos = skipField(buf, after, t, eEnd, ENTRY);
            continue;
          }
          if (tag === 0x12) {
            v = buf[pos]!;
            if (v < 0x80) pos++;
            else {
              v = varintSlow(buf, pos);
              pos = after;
            }
            if (pos + v > eEnd) bad("premature EOF");
            line = utf8.decode(buf.subarray(pos, pos + v));
            pos += v;
          } else if (tag === 0x0a) {
            hasTs = true;
            v = buf[pos]!;
            if (v < 0x80) pos++;
            else {
              v = varintSlow(buf, pos);
              pos = after;
            }
            const tEnd = pos + v;
            if (tEnd > eEnd) bad("premature EOF");
            while (pos < tEnd) {
              const t = buf[pos++]!;
              if (t === 0x08) {
                sec = varintSlow(buf, pos);
                pos = after;
              } else if (t === 0x10) {
                nsec = varintSlow(buf, pos) | 0;
                pos = after;
              } else if (t < 0x80) {
                pos = skipField(buf, pos, t, tEnd, TIMESTAMP);
              } else {
                const t2 = varintSlow(buf, pos - 1);
                pos = skipField(buf, after, t2, tEnd, TIMESTAMP);
              }
            }
            if (pos > tEnd) bad("premature EOF");
          } else if (tag === 0x1a) {
            v = buf[pos]!;
            if (v < 0x80) pos++;
            else {
              v = varintSlow(buf, pos);
              pos = after;
            }
            const pEnd = pos + v;
            if (pEnd > eEnd) bad("premature EOF");
            let name = "";
            let value = "";
            while (pos < pEnd) {
              const t = buf[pos++]!;
              if (t === 0x0a || t === 0x12) {
                v = buf[pos]!;
                if (v < 0x80) pos++;
                else {
                  v = varintSlow(buf, pos);
                  pos = after;
                }
                if (pos + v > pEnd) bad("premature EOF");
                const s = utf8.decode(buf.subarray(pos, pos + v));
                pos += v;
                if (t === 0x0a) name = s;
                else value = s;
              } else if (t < 0x80) {
                pos = skipField(buf, pos, t, pEnd, PAIR);
              } else {
                const t2 = varintSlow(buf, pos - 1);
                pos = skipField(buf, after, t2, pEnd, PAIR);
              }
            }
            (names ??= []).push(name);
            (values ??= []).push(value);
          } else {
            pos = skipField(buf, pos, tag, eEnd, ENTRY);
          }
        }
        if (!hasTs) {
          const now = nowInstant();
          sec = now.sec;
          nsec = now.nsec;
        } else if (sec < MIN_SECONDS || sec > MAX_SECONDS || nsec < 0 || nsec > 999_999_999) {
          throw new PushDecodeError(`invalid protobuf: timestamp out of range (seconds ${sec}, nanos ${nsec})`);
        }
        entries.push(
          names === null
            ? { sec, nsec, labels: PENDING, msg: line }
            : { sec, nsec, labels: PENDING, msg: line, meta: metaOf(names, values!) },
        );
      } else if (v === 0x0a) {
        v = buf[pos]!;
        if (v < 0x80) pos++;
        else {
          v = varintSlow(buf, pos);
          pos = after;
        }
        if (pos + v > sEnd) bad("premature EOF");
        raw = utf8.decode(buf.subarray(pos, pos + v));
        pos += v;
      } else {
        pos = skipField(buf, pos, v, sEnd, STREAM);
      }
    }
    // Labels may follow the entries on the wire; resolve them once the stream is complete.
    const labels: Labels = parseLabelString(raw);
    for (let i = first; i < entries.length; i++) (entries[i] as { labels: Labels }).labels = labels;
  }
  return entries;
}

function metaOf(names: string[], values: string[]): Record<string, string> {
  let order: number[] | null = null;
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) {
      order = names.map((_, k) => k).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
      break;
    }
  }
  const meta: Record<string, string> = {};
  if (order === null) for (let i = 0; i < names.length; i++) setOwn(meta, names[i]!, values[i]!);
  else for (const k of order) setOwn(meta, names[k]!, values[k]!);
  return meta;
}
