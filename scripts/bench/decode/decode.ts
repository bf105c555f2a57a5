/**
 * Push-decoder throughput on a realistic push: ~1 MiB, 5,000 entries, 10 streams, ~150-byte lines, one entry in
 * five carrying structured metadata (as Alloy/Promtail batches look at their 1 MiB default batch size).
 * Run: node_modules/.bin/bun scripts/bench/decode/decode.ts
 */

import { create, toBinary } from "@bufbuild/protobuf";
import { PushRequestSchema } from "../../../src/protocols/loki/gen/push_pb.ts";
import { decodeJson } from "../../../src/protocols/loki/decode-json.ts";
import { decodeProto } from "../../../src/protocols/loki/decode-proto.ts";

const STREAMS = 10;
const PER_STREAM = 500;
const BASE_NS = 1_737_000_000_000_000_000n;

function line(s: number, i: number): string {
  const text =
    `level=info ts=2025-01-16T04:00:00.${String(i % 1000).padStart(3, "0")}Z caller=handler.go:${100 + (i % 50)} ` +
    `msg="request served" method=GET path=/api/v1/items/${i * 7919} status=200 dur=${(i % 97) / 10}ms pod=svc-${s}`;
  return text.padEnd(150, ".");
}

const jsonStreams = [];
const protoStreams = [];
for (let s = 0; s < STREAMS; s++) {
  const labels = { app: `svc-${s}`, namespace: "prod", pod: `svc-${s}-7d9f8b-x${s}q2z`, container: "main" };
  const values: unknown[][] = [];
  const entries = [];
  for (let i = 0; i < PER_STREAM; i++) {
    const ns = BASE_NS + BigInt(i * 1_000_003 + s);
    const meta = i % 5 === 0 ? { trace_id: `${s}${i}`.padStart(32, "0") } : undefined;
    values.push(meta ? [String(ns), line(s, i), meta] : [String(ns), line(s, i)]);
    entries.push({
      timestamp: { seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) },
      line: line(s, i),
      structuredMetadata: meta ? [{ name: "trace_id", value: meta.trace_id }] : [],
    });
  }
  jsonStreams.push({ stream: labels, values });
  const labelString = `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
  protoStreams.push({ labels: labelString, entries });
}

const jsonBody = new TextEncoder().encode(JSON.stringify({ streams: jsonStreams }));
const protoBody = toBinary(PushRequestSchema, create(PushRequestSchema, { streams: protoStreams }));

function bench(name: string, decode: (body: Uint8Array) => unknown[], body: Uint8Array): void {
  for (let i = 0; i < 20; i++) decode(body);
  let runs = 0;
  let entries = 0;
  const started = performance.now();
  while (performance.now() - started < 2000) {
    entries += decode(body).length;
    runs++;
  }
  const seconds = (performance.now() - started) / 1000;
  const perSec = Math.round(entries / seconds).toLocaleString("en-US");
  const mib = ((body.length * runs) / seconds / 1048576).toFixed(0);
  console.log(`${name.padEnd(12)} ${perSec.padStart(11)} entries/s  ${mib.padStart(4)} MiB/s of body  (${runs} pushes)`);
}

const mib = (n: number) => (n / 1048576).toFixed(2);
console.log(
  `push: ${STREAMS * PER_STREAM} entries in ${STREAMS} streams; JSON body ${mib(jsonBody.length)} MiB, ` +
    `protobuf body ${mib(protoBody.length)} MiB (before snappy)`,
);
bench("decodeProto", decodeProto, protoBody);
bench("decodeJson", decodeJson, jsonBody);
