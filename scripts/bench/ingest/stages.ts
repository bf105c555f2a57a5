/**
 * Where the receiver spends its time per push, stage by stage, on the ingest benchmark's payloads — against the
 * implementations they replaced, and what the snappy candidate in ./candidates/ would save. Every candidate's output is checked
 * against the product function on every payload of the pool before it is timed.
 *
 * Run: node_modules/.bin/bun scripts/bench/ingest/stages.ts [--seconds 2] [--pool 50]
 */

import { parseArgs } from "node:util";
import { deepStrictEqual } from "node:assert";
import snappy from "snappyjs";
import type { Entry } from "../../../src/model/entry.ts";
import { encodeJsonlBatch } from "../../../pipeline/stages/encode-jsonl.ts";
import { decodeProto } from "../../../src/protocols/loki/decode-proto.ts";
import { decodeJson } from "../../../src/protocols/loki/decode-json.ts";
import { buildPool } from "./payloads.ts";
import { uncompressFast } from "./candidates/snappy-fast.ts";
import { encodeEntryLine } from "../../../src/capture/entry-line.ts";
import { fromBinary } from "@bufbuild/protobuf";
import { PushRequestSchema } from "../../../src/protocols/loki/gen/push_pb.ts";
import { parseLabelString } from "../../../src/protocols/loki/label-string.ts";

/** The reflective decode the wire reader replaced (protobuf-es fromBinary, then entries): the reference. */
function decodeFromBinary(body: Uint8Array): Entry[] {
  return fromBinary(PushRequestSchema, body).streams.flatMap((s) => {
    const labels = parseLabelString(s.labels);
    return s.entries.map((e): Entry => {
      const base = { sec: Number(e.timestamp!.seconds), nsec: e.timestamp!.nanos, labels, msg: e.line };
      if (e.structuredMetadata.length === 0) return base;
      const meta = Object.fromEntries(e.structuredMetadata.map((p) => [p.name, p.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
      return { ...base, meta };
    });
  });
}

/** The string path the byte encoder replaced (one template string per line, joined, then UTF-8 encoded): the reference. */
function encodeJsonlBatchFast(batch: { entries: Entry[] }) {
  const bytes = new TextEncoder().encode(batch.entries.map((e) => encodeEntryLine(e) + "\n").join(""));
  const ends: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) ends.push(i + 1);
  return { entries: batch.entries, bytes, ends: Uint32Array.from(ends) };
}

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "2" }, pool: { type: "string", default: "50" } } });
const SECONDS = Number(args.seconds);
const pool = buildPool(Number(args.pool));
const N = pool[0]!.entries;
const MAX = 256 << 20;

// ---- equivalence checks -------------------------------------------------------------------------------------
for (const p of pool) {
  const a = snappy.uncompress(p.protoSnappy, MAX);
  const b = uncompressFast(p.protoSnappy, MAX);
  if (Buffer.compare(a, b) !== 0) throw new Error("snappy mismatch");
  const ea = decodeProto(a);
  const eb = decodeFromBinary(a);
  deepStrictEqual(eb, ea);
  for (let i = 0; i < ea.length; i++) if (ea[i]!.labels !== eb[i]!.labels) throw new Error("labels not interned identically");
  const ja = encodeJsonlBatch({ entries: ea });
  const jb = encodeJsonlBatchFast({ entries: ea });
  if (Buffer.compare(ja.bytes, jb.bytes) !== 0) throw new Error("encode mismatch");
  deepStrictEqual(jb.ends, ja.ends);
}
// Escaping edge cases the pool lacks.
{
  const tricky: Entry[] = [
    "plain", "quote \" back\\slash", "tab\tnl\ncr\r\b\f\x00\x1f\x7f", "<a href='x'>&amp;</a>", "ls\u2028ps\u2029", "é ü 日本語 🎉",
    "lone \ud800 surrogate", "lone low \udc00", "\u2028", "ends with \u00e2\u0080", "",
  ].map((msg, i) => ({ sec: 1_700_000_000 + i, nsec: [0, 1, 10, 100_000_000, 123_456_789, 999_999_999][i % 6]!, labels: {}, msg }));
  tricky.push({ sec: -62135596800, nsec: 5, labels: Object.freeze({ a: "<b>" }), msg: "x", meta: { k: "v&" } });
  const ja = encodeJsonlBatch({ entries: tricky });
  const jb = encodeJsonlBatchFast({ entries: tricky });
  if (Buffer.compare(ja.bytes, jb.bytes) !== 0) {
    console.error(new TextDecoder().decode(ja.bytes));
    console.error(new TextDecoder().decode(jb.bytes));
    throw new Error("encode mismatch on edge cases");
  }
  deepStrictEqual(jb.ends, ja.ends);
}
console.log(`candidates produce identical output on all ${pool.length} payloads and the escaping edge cases`);

// ---- timing -------------------------------------------------------------------------------------------------
function time(name: string, fn: (i: number) => void): number {
  for (let i = 0; i < pool.length; i++) fn(i);
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) fn(runs++ % pool.length);
  const ms = (performance.now() - started) / runs;
  console.log(`  ${name.padEnd(44)} ${ms.toFixed(2).padStart(6)} ms/push  ${Math.round((N / ms) * 1000).toLocaleString("en-US").padStart(10)} entries/s`);
  return ms;
}

// Per-stage inputs for a few payloads only: retaining decoded entries of the whole pool would make every GC
// mark ~250k extra objects, which the receiver (queue ≤ 65,536 entries) never carries.
const K = 8;
const raws = pool.slice(0, K).map((p) => snappy.uncompress(p.protoSnappy, MAX));
const decoded = raws.map((r) => decodeProto(r));
const jsonl = decoded.map((e) => encodeJsonlBatch({ entries: e }));
const k = (i: number) => i % K;

console.log(`\nper push (${N} entries, ${(pool[0]!.protoSnappy.length / 1e6).toFixed(2)} MB snappy → ${(raws[0]!.length / 1e6).toFixed(2)} MB protobuf), stage by stage:`);
const t: Record<string, number> = {};
t.snappy = time("snappyjs.uncompress", (i) => snappy.uncompress(pool[i]!.protoSnappy, MAX));
t.snappyFast = time("candidate uncompressFast", (i) => uncompressFast(pool[i]!.protoSnappy, MAX));
t.decode = time("decodeProto (protobuf-es BinaryReader)", (i) => decodeProto(raws[k(i)]!));
t.decodeBefore = time("protobuf-es fromBinary (before)", (i) => decodeFromBinary(raws[k(i)]!));
t.json = time("decodeJson (for comparison)", (i) => decodeJson(pool[i]!.json));
t.encode = time("encodeJsonlBatch", (i) => encodeJsonlBatch({ entries: decoded[k(i)]! }));
t.encodeFast = time("string-path encoder (before)", (i) => encodeJsonlBatchFast({ entries: decoded[k(i)]! }));
t.zstd = time("Bun.zstdCompressSync level 1 (pool thread in recv)", (i) => Bun.zstdCompressSync(jsonl[k(i)]!.bytes, { level: 1 }));

const cur = t.snappy! + t.decode! + t.encode!;
const fast = t.snappyFast! + t.decode! + t.encode!;
const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US");
console.log(`\nsum of stages (snappy + decode run on the decode workers in recv, encode on the main thread, zstd on the pool):`);
console.log(`  current     ${cur.toFixed(2)} ms/push → ${rate(cur)} entries/s`);
console.log(`  candidates  ${fast.toFixed(2)} ms/push → ${rate(fast)} entries/s (${(cur / fast).toFixed(2)}× less work)`);

console.log(`\nwhole chain per push, nothing retained (as the run.ts floor):`);
const chain = (un: typeof uncompressFast, dec: typeof decodeProto, enc: typeof encodeJsonlBatch, zstd: boolean) => (i: number) => {
  const b = enc({ entries: dec(un(pool[i]!.protoSnappy, MAX)) });
  if (zstd) Bun.zstdCompressSync(b.bytes, { level: 1 });
};
const c0 = time("current, without zstd", chain(snappy.uncompress, decodeProto, encodeJsonlBatch, false));
const c1 = time("candidates, without zstd", chain(uncompressFast, decodeProto, encodeJsonlBatch, false));
time("current, with zstd (= floor)", chain(snappy.uncompress, decodeProto, encodeJsonlBatch, true));
time("candidates, with zstd", chain(uncompressFast, decodeProto, encodeJsonlBatch, true));
console.log(`  → candidates do ${(c0 / c1).toFixed(2)}× less work per push`);
