/**
 * Loki protobuf push body, snappy already removed (protocols-and-peers.md §1 "Protobuf body"; Loki pkg/push/push.proto,
 * also in push.proto here). Read with protobuf-es's wire-level `BinaryReader` rather than its reflective
 * `fromBinary`: the entries are built straight from the wire, without an intermediate message object, a Timestamp
 * object and a BigInt-to-number step per line — 2.5× faster on a 5,000-entry push (docs/benchmarks.md, Ingest).
 *
 * Wire schema: PushRequest{1: repeated StreamAdapter streams; 2: string format}
 * StreamAdapter{1: string labels; 2: repeated EntryAdapter entries; 3: uint64 hash}
 * EntryAdapter{1: Timestamp timestamp; 2: string line; 3: repeated LabelPairAdapter structuredMetadata; 4: parsed}
 * Timestamp{1: int64 seconds; 2: int32 nanos}; LabelPairAdapter{1: string name; 2: string value}
 */

import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { Entry, Labels } from "../../model/entry.ts";
import { nowInstant } from "../../capture/timestamp.ts";
import { PushDecodeError } from "../push-decode-error.ts";
import { setOwn } from "../labels-interner.ts";
import { parseLabelString } from "./label-string.ts";

// google.protobuf.Timestamp's valid range (0001-01-01 … 9999-12-31), which gogoproto enforces when Loki decodes.
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;

/**
 * `PushRequest` bytes → entries. Each stream's label string is parsed once (and interned, so repeat pushes skip even
 * that); an entry without a timestamp gets the receive time; `parsed` is query-side only and ignored. Strings are
 * decoded leniently, as Loki (gogoproto) accepts them: one stray byte in a log line must not turn the whole batch
 * into a 400 that clients drop; invalid sequences become U+FFFD.
 */
export function decodeProto(body: Uint8Array): Entry[] {
  const reader = new BinaryReader(body);
  const entries: Entry[] = [];
  try {
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1) readStream(reader, embedded(reader, field, wire), entries);
      else reader.skip(wire, field);
    }
  } catch (err) {
    if (err instanceof PushDecodeError) throw err;
    throw new PushDecodeError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
  return entries;
}

/** A known field with another wire type than the schema's is corrupt input. */
function expect(field: number, wire: WireType, want: WireType): void {
  if (wire !== want) throw new PushDecodeError(`invalid protobuf: field ${field} has wire type ${wire}, expected ${want}`);
}

/** Reads the length of an embedded message field; returns where it ends. */
function embedded(reader: BinaryReader, field: number, wire: WireType): number {
  expect(field, wire, LEN);
  const end = reader.uint32() + reader.pos;
  if (end > reader.len) throw new PushDecodeError("invalid protobuf: premature EOF");
  return end;
}

function readStream(reader: BinaryReader, end: number, out: Entry[]): void {
  const first = out.length;
  let rawLabels = "";
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      expect(field, wire, LEN);
      rawLabels = reader.string();
    } else if (field === 2) {
      out.push(readEntry(reader, embedded(reader, field, wire)));
    } else {
      reader.skip(wire, field);
    }
  }
  // Labels may follow the entries on the wire; every entry of the stream shares the one interned set.
  const labels: Labels = parseLabelString(rawLabels);
  for (let i = first; i < out.length; i++) (out[i] as { labels: Labels }).labels = labels;
}

function readEntry(reader: BinaryReader, end: number): Entry {
  let sec = 0;
  let nsec = 0;
  let hasTimestamp = false;
  let msg = "";
  let pairs: string[] | null = null;
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      const tEnd = embedded(reader, field, wire);
      hasTimestamp = true;
      while (reader.pos < tEnd) {
        const [tf, tw] = reader.tag();
        if (tf === 1) {
          expect(tf, tw, VARINT);
          sec = Number(reader.int64());
        } else if (tf === 2) {
          expect(tf, tw, VARINT);
          nsec = reader.int32();
        } else reader.skip(tw, tf);
      }
    } else if (field === 2) {
      expect(field, wire, LEN);
      msg = reader.string();
    } else if (field === 3) {
      (pairs ??= []).push(...readPair(reader, embedded(reader, field, wire)));
    } else {
      reader.skip(wire, field);
    }
  }
  if (!hasTimestamp) {
    const now = nowInstant();
    sec = now.sec;
    nsec = now.nsec;
  } else if (sec < MIN_SECONDS || sec > MAX_SECONDS || nsec < 0 || nsec > 999_999_999) {
    throw new PushDecodeError(`invalid protobuf: timestamp out of range (seconds ${sec}, nanos ${nsec})`);
  }
  return pairs === null ? { sec, nsec, labels: PENDING, msg } : { sec, nsec, labels: PENDING, msg, meta: metaOf(pairs) };
}

/** Placeholder until the stream's labels are known (readStream replaces it before returning). */
const PENDING: Labels = Object.freeze({});

function readPair(reader: BinaryReader, end: number): [string, string] {
  let name = "";
  let value = "";
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1 || field === 2) {
      expect(field, wire, LEN);
      if (field === 1) name = reader.string();
      else value = reader.string();
    } else reader.skip(wire, field);
  }
  return [name, value];
}

/** Structured metadata in name order (as Loki stores it); a repeated name keeps the last value, as a map would. */
function metaOf(flat: string[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  let sorted = true;
  for (let i = 1; i < pairs.length; i++) if (pairs[i - 1]![0] > pairs[i]![0]) sorted = false;
  if (!sorted) pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const meta: Record<string, string> = {};
  for (const [name, value] of pairs) setOwn(meta, name, value);
  return meta;
}
