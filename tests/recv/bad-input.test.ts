import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import snappy from "snappyjs";
import { startReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";

const NS = "1700000000000000000";
const good = (msg: string) => lokiJson([{ labels: { app: "good" }, values: [[NS, msg]] }]);
const json = { "content-type": "application/json" };
const protobuf = { "content-type": "application/x-protobuf" };

/**
 * Each case runs on its own receiver, so each test shows its whole claim by itself: the status, a one-line reason
 * naming what is wrong (`reason`, matched case-insensitively), the receiver still serving, and — after a clean
 * stop — nothing of the refused request in the capture, only the good push sent after it.
 */
const cases: Array<{ name: string; body: () => BodyInit | Uint8Array; headers: Record<string, string>; path?: string; status: number; reason: string }> = [
  { name: "malformed JSON", body: () => '{"streams":[', headers: json, status: 400, reason: "invalid JSON" },
  { name: "numeric timestamp", body: () => '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}', headers: json, status: 400, reason: "timestamp" },
  { name: "non-string label value", body: () => `{"streams":[{"stream":{"a":1},"values":[["${NS}","x"]]}]}`, headers: json, status: 400, reason: "label value" },
  {
    name: "good and bad streams in one push",
    body: () => `{"streams":[{"stream":{"a":"b"},"values":[["${NS}","lost"]]},{"stream":{"a":"b"},"values":[["x","y"]]}]}`,
    headers: json,
    status: 400,
    reason: "streams[1]",
  },
  { name: "bad protobuf", body: () => snappy.compress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2])), headers: protobuf, status: 400, reason: "protobuf" },
  { name: "bad snappy", body: () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), headers: protobuf, status: 400, reason: "snappy" },
  // Still a 400 after the label-string parser's changes (an unquoted value is invalid in Prometheus too); only "label" is stable wording.
  { name: "unparsable label string", body: () => lokiProtobufWithLabels("{app=unquoted}"), headers: protobuf, status: 400, reason: "label" },
  { name: "bad gzip", body: () => "not gzip at all", headers: { ...json, "content-encoding": "gzip" }, status: 400, reason: "gzip" },
  { name: "unknown Content-Encoding", body: () => good("lost"), headers: { ...json, "content-encoding": "br" }, status: 415, reason: '"br"' },
  { name: "body over --max-body", body: () => "x".repeat(2 << 20), headers: json, status: 413, reason: "too large" },
  { name: "gzip bomb (1 MB → 300 MB)", body: () => gzipSync(Buffer.alloc(300 << 20, 32)), headers: { ...json, "content-encoding": "gzip" }, status: 413, reason: "decompressed body exceeds" },
  { name: "zstd bomb", body: () => Bun.zstdCompressSync(Buffer.alloc(300 << 20, 32)), headers: { ...json, "content-encoding": "zstd" }, status: 413, reason: "decompressed body exceeds" },
  { name: "snappy bomb (header claims 1 GiB)", body: () => new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]), headers: protobuf, status: 413, reason: "decompressed body exceeds" },
  {
    name: "raw push with one bad line is all-or-nothing",
    body: () => `{"ts":"2024-01-01T00:00:00Z","msg":"lost"}\n{"ts":"nope","msg":"x"}\n`,
    headers: {},
    path: "/logtap/raw",
    status: 400,
    reason: "line 2",
  },
  { name: "legacy push with bad labels", body: () => JSON.stringify({ streams: [{ labels: "{a=", entries: [] }] }), headers: json, path: "/api/prom/push", status: 400, reason: "label" },
];

describe("recv refuses bad input with a one-line reason, keeps running, and stores nothing of it", () => {
  for (const c of cases) {
    test(`${c.name} → ${c.status}`, async () => {
      const r = await startReceiver(["--max-body", "1MB"]);
      try {
        const res = await push(r.url, c.body(), c.headers, c.path ?? "/loki/api/v1/push");
        expect(res.status).toBe(c.status);
        expect(res.text.endsWith("\n")).toBe(true);
        expect(res.text.trim().split("\n")).toHaveLength(1);
        expect(res.text.toLowerCase()).toContain(c.reason.toLowerCase());
        // The receiver keeps serving.
        expect((await push(r.url, good(`kept after: ${c.name}`), json)).status).toBe(204);
      } finally {
        expect((await r.stop("SIGTERM")).code).toBe(0);
      }
      expect(entriesViaZstdCli(r.dir).map((e) => e.msg)).toEqual([`kept after: ${c.name}`]);
    }, 30_000); // the bombs compress and send 300 MB; the shared machine may be busy
  }

  test("a huge but legal line (512 KiB) is accepted and stored intact", async () => {
    const r = await startReceiver(["--max-body", "1MB"]);
    // Not one repeated character: a truncated or reordered copy must not compare equal.
    const big = Array.from({ length: 512 << 6 }, (_, i) => (i % 1000).toString(36).padStart(8, "~")).join("");
    expect(big.length).toBe(512 << 9);
    const big2 = big + big;
    expect(big2.length).toBe(512 << 10);
    try {
      expect((await push(r.url, lokiJson([{ labels: { app: "big" }, values: [[NS, big2]] }]), json)).status).toBe(204);
    } finally {
      expect((await r.stop("SIGTERM")).code).toBe(0);
    }
    const got = entriesViaZstdCli(r.dir);
    expect(got).toHaveLength(1);
    expect(got[0]!.labels).toEqual({ app: "big" });
    expect(got[0]!.msg.length).toBe(512 << 10);
    expect(got[0]!.msg === big2).toBe(true);
  });
});

/** A PushRequest whose only stream has the given (broken) label string: field 1 → StreamAdapter, its field 1 → labels. */
function lokiProtobufWithLabels(labels: string): Uint8Array {
  const s = new TextEncoder().encode(labels);
  const stream = [0x0a, s.length, ...s];
  return snappy.compress(new Uint8Array([0x0a, stream.length, ...stream]));
}
