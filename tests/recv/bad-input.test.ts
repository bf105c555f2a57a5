import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import snappy from "snappyjs";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, lokiProtobuf, push } from "../support/loki-bodies.ts";

const NS = "1700000000000000000";
const GOOD = lokiJson([{ labels: { app: "good" }, values: [[NS, "kept"]] }]);

describe("recv refuses bad input with a one-line reason and keeps running", () => {
  let r: RunningReceiver;
  beforeAll(async () => {
    r = await startReceiver(["--max-body", "1MB"]);
  });
  afterAll(async () => {
    await r.stop("SIGKILL").catch(() => {});
  });

  const json = { "content-type": "application/json" };
  const cases: Array<[string, () => BodyInit | Uint8Array, Record<string, string>, string, number]> = [
    ["malformed JSON", () => '{"streams":[', json, "/loki/api/v1/push", 400],
    ["numeric timestamp", () => '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}', json, "/loki/api/v1/push", 400],
    ["non-string label value", () => `{"streams":[{"stream":{"a":1},"values":[["${NS}","x"]]}]}`, json, "/loki/api/v1/push", 400],
    ["good and bad streams in one push", () => `{"streams":[{"stream":{"a":"b"},"values":[["${NS}","lost"]]},{"stream":{"a":"b"},"values":[["x","y"]]}]}`, json, "/loki/api/v1/push", 400],
    ["bad protobuf", () => snappy.compress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2])), { "content-type": "application/x-protobuf" }, "/loki/api/v1/push", 400],
    ["bad snappy", () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), { "content-type": "application/x-protobuf" }, "/loki/api/v1/push", 400],
    ["unparsable label string", () => lokiProtobufWithLabels("{app=unquoted}"), { "content-type": "application/x-protobuf" }, "/loki/api/v1/push", 400],
    ["bad gzip", () => "not gzip at all", { ...json, "content-encoding": "gzip" }, "/loki/api/v1/push", 400],
    ["unknown Content-Encoding", () => GOOD, { ...json, "content-encoding": "br" }, "/loki/api/v1/push", 415],
    ["body over --max-body", () => "x".repeat(2 << 20), json, "/loki/api/v1/push", 413],
    ["gzip bomb (1 MB → 300 MB)", () => gzipSync(Buffer.alloc(300 << 20, 32)), { ...json, "content-encoding": "gzip" }, "/loki/api/v1/push", 413],
    ["zstd bomb", () => Bun.zstdCompressSync(Buffer.alloc(300 << 20, 32)), { ...json, "content-encoding": "zstd" }, "/loki/api/v1/push", 413],
    ["snappy bomb (header claims 1 GiB)", () => new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]), { "content-type": "application/x-protobuf" }, "/loki/api/v1/push", 413],
    ["raw push with one bad line is all-or-nothing", () => `{"ts":"2024-01-01T00:00:00Z","msg":"lost"}\n{"ts":"nope","msg":"x"}\n`, {}, "/logtap/raw", 400],
    ["legacy push with bad labels", () => JSON.stringify({ streams: [{ labels: "{a=", entries: [] }] }), json, "/api/prom/push", 400],
  ];

  for (const [name, body, headers, path, status] of cases) {
    test(`${name} → ${status}`, async () => {
      const res = await push(r.url, body(), headers, path);
      expect(res.status).toBe(status);
      expect(res.text.endsWith("\n")).toBe(true);
      expect(res.text.trim().split("\n")).toHaveLength(1);
      expect(res.text.trim().length).toBeGreaterThan(5);
      // The receiver keeps serving.
      expect((await push(r.url, GOOD, json)).status).toBe(204);
    });
  }

  test("a huge but legal line (512 KiB) is accepted and stored intact", async () => {
    const big = "y".repeat(512 << 10);
    expect((await push(r.url, lokiJson([{ labels: { app: "big" }, values: [[NS, big]] }]), json)).status).toBe(204);
  });

  test("nothing from a refused request reached the capture", async () => {
    const { code } = await r.stop("SIGTERM");
    expect(code).toBe(0);
    const msgs = entriesViaZstdCli(r.dir).map((e) => e.msg);
    expect(msgs.filter((m) => m === "kept").length).toBe(cases.length);
    expect(msgs.filter((m) => m.startsWith("yyyy")).map((m) => m.length)).toEqual([512 << 10]);
    expect(msgs.length).toBe(cases.length + 1);
  });
});

/** A PushRequest whose only stream has the given (broken) label string: field 1 → StreamAdapter, its field 1 → labels. */
function lokiProtobufWithLabels(labels: string): Uint8Array {
  const s = new TextEncoder().encode(labels);
  const stream = [0x0a, s.length, ...s];
  return snappy.compress(new Uint8Array([0x0a, stream.length, ...stream]));
}
