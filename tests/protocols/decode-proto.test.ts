import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import { EntryAdapterSchema, PushRequestSchema } from "../../src/protocols/loki/gen/push_pb.ts";
import { parseLabelString } from "../../src/protocols/loki/label-string.ts";
import { decodeProto } from "../../src/protocols/loki/decode-proto.ts";
import { bytes, nowSec, rejection } from "./helpers.ts";

const encode = (init: MessageInitShape<typeof PushRequestSchema>) => toBinary(PushRequestSchema, create(PushRequestSchema, init));
const at = (seconds: bigint, nanos = 0) => ({ seconds, nanos });
const reject = (body: Uint8Array) => rejection(() => decodeProto(body), "");

describe("Loki protobuf push: accepted bodies", () => {
  test("a stream of entries with labels, timestamps and lines", () => {
    const body = encode({
      streams: [
        {
          labels: '{app="web", env="prod"}',
          entries: [
            { timestamp: at(1700000000n, 123456789), line: "hello" },
            { timestamp: at(1700000001n), line: "world" },
          ],
        },
      ],
    });
    expect(decodeProto(body)).toEqual([
      { sec: 1700000000, nsec: 123456789, labels: { app: "web", env: "prod" }, msg: "hello" },
      { sec: 1700000001, nsec: 0, labels: { app: "web", env: "prod" }, msg: "world" },
    ]);
  });

  test("entries of one stream share one labels object, also across pushes", () => {
    const body = encode({ streams: [{ labels: '{app="shared"}', entries: [{ line: "a" }, { line: "b" }] }] });
    const [a, b] = decodeProto(body);
    expect(a!.labels).toBe(b!.labels);
    expect(decodeProto(body)[0]!.labels).toBe(a!.labels);
  });

  test("structuredMetadata → meta with sorted keys; parsed is ignored", () => {
    const body = encode({
      streams: [
        {
          labels: '{app="web"}',
          entries: [
            {
              timestamp: at(1n),
              line: "x",
              structuredMetadata: [
                { name: "trace_id", value: "abc" },
                { name: "span_id", value: "def" },
              ],
              parsed: [{ name: "level", value: "info" }],
            },
          ],
        },
      ],
    });
    const [entry] = decodeProto(body);
    expect(entry!.meta).toEqual({ span_id: "def", trace_id: "abc" });
    expect(Object.keys(entry!.meta!)).toEqual(["span_id", "trace_id"]);
  });

  test("no structured metadata → no meta property", () => {
    const [entry] = decodeProto(encode({ streams: [{ labels: "{}", entries: [{ timestamp: at(1n), line: "x" }] }] }));
    expect(entry).not.toHaveProperty("meta");
  });

  test("an entry without a timestamp gets the receive time", () => {
    const before = nowSec();
    const [entry] = decodeProto(encode({ streams: [{ labels: '{app="web"}', entries: [{ line: "x" }] }] }));
    expect(entry!.sec).toBeGreaterThanOrEqual(before);
    expect(entry!.sec).toBeLessThanOrEqual(nowSec());
  });

  test("empty labels string and {} both give the empty label set", () => {
    const body = encode({ streams: [{ labels: "", entries: [{ line: "a" }] }, { labels: "{}", entries: [{ line: "b" }] }] });
    const [a, b] = decodeProto(body);
    expect(a!.labels).toBe(EMPTY_LABELS);
    expect(b!.labels).toBe(EMPTY_LABELS);
  });

  test("an empty body is an empty push", () => {
    expect(decodeProto(new Uint8Array())).toEqual([]);
  });

  test("format and hash fields are accepted and ignored", () => {
    const body = encode({ format: "x", streams: [{ labels: '{a="b"}', hash: 42n, entries: [{ line: "x" }] }] });
    expect(decodeProto(body)).toHaveLength(1);
  });

  test("pre-epoch and far-future timestamps within protobuf's range", () => {
    const body = encode({
      streams: [{ labels: "{}", entries: [{ timestamp: at(-62135596800n), line: "a" }, { timestamp: at(253402300799n, 999999999), line: "b" }] }],
    });
    expect(decodeProto(body).map((e) => [e.sec, e.nsec])).toEqual([
      [-62135596800, 0],
      [253402300799, 999999999],
    ]);
  });

  test("invalid UTF-8 in a line is replaced, not rejected (Loki accepts such lines)", () => {
    const body = encode({ streams: [{ labels: '{app="web"}', entries: [{ timestamp: at(1n), line: "hello" }] }] });
    const h = body.indexOf("h".charCodeAt(0));
    body[h] = 0xff;
    body[h + 1] = 0xfe;
    expect(decodeProto(body)[0]!.msg).toBe("\uFFFD\uFFFDllo");
  });

  test("large lines and many entries", () => {
    const line = "y".repeat(1024 * 1024);
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ timestamp: at(1700000000n, i), line: "l" + i }));
    entries.push({ timestamp: at(1n), line });
    const decoded = decodeProto(encode({ streams: [{ labels: '{app="big"}', entries }] }));
    expect(decoded).toHaveLength(20_001);
    expect(decoded[19_999]!.nsec).toBe(19_999);
    expect(decoded[20_000]!.msg).toBe(line);
  });
});

describe("Loki protobuf push: rejections (400)", () => {
  const valid = encode({ streams: [{ labels: '{app="web"}', entries: [{ timestamp: at(1n), line: "hello world" }] }] });

  test("a truncated message", () => {
    expect(reject(valid.subarray(0, valid.length - 3))).toMatch(/^invalid protobuf: ./);
  });

  test.each([
    ["ASCII text", bytes("not a protobuf")],
    ["a JSON body sent as protobuf", bytes('{"streams":[]}')],
    ["0xff bytes", new Uint8Array([0xff, 0xff, 0xff])],
    ["a varint where streams (a message) belongs", new Uint8Array([0x08, 0x01])],
  ])("garbage: %s", (_what, body) => {
    expect(reject(body)).toMatch(/^invalid protobuf: ./);
  });

  test("a malformed labels string", () => {
    const body = encode({ streams: [{ labels: "{app=web}", entries: [{ line: "x" }] }] });
    expect(reject(body)).toStartWith("couldn't parse labels: expected quoted label value");
  });

  test.each([
    ["nanos ≥ 1e9", at(1n, 1_000_000_000)],
    ["negative nanos", at(1n, -1)],
    ["seconds before year 1", at(-62135596801n)],
    ["seconds after year 9999", at(253402300800n)],
  ])("a timestamp out of range: %s", (_what, timestamp) => {
    const body = encode({ streams: [{ labels: "{}", entries: [{ timestamp, line: "x" }] }] });
    expect(reject(body)).toStartWith("invalid protobuf: timestamp out of range");
  });
});

describe("Loki protobuf push: the wire reader agrees with protobuf-es's reflective decoder", () => {
  // The reference: protobuf-es fromBinary over the generated schema, mapped to entries the obvious way.
  const reference = (body: Uint8Array) =>
    fromBinary(PushRequestSchema, body).streams.flatMap((s) =>
      s.entries.map((e) => ({
        sec: Number(e.timestamp!.seconds),
        nsec: e.timestamp!.nanos,
        labels: parseLabelString(s.labels),
        msg: e.line,
        ...(e.structuredMetadata.length > 0
          ? { meta: Object.fromEntries(e.structuredMetadata.map((p) => [p.name, p.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1))) }
          : {}),
      })),
    );

  test("on realistic pushes: long lines (multi-byte lengths), metadata, BOMs, emoji, many streams", () => {
    const streams = Array.from({ length: 7 }, (_, s) => ({
      labels: `{app="svc-${s}", pod="p-${s}"}`,
      entries: Array.from({ length: 300 }, (_, i) => ({
        timestamp: at(1700000000n + BigInt(i), (i * 7919) % 1_000_000_000),
        line: (i % 50 === 0 ? "\uFEFF" : "") + `line ${i} ${"x".repeat((i * 37) % 900)} ✓ 🚀 é`,
        structuredMetadata: i % 10 === 0 ? [{ name: "trace_id", value: `t${i}` }, { name: "span", value: `s${i}` }] : [],
      })),
    }));
    const body = encode({ streams });
    const got = decodeProto(body);
    expect(got.length).toBe(7 * 300);
    expect(got).toEqual(reference(body));
  });

  test("fields in unusual order (labels after entries) and unknown fields are handled as protobuf-es does", () => {
    const entry = toBinary(EntryAdapterSchema, create(EntryAdapterSchema, { timestamp: at(5n, 6), line: "late labels" }));
    const labels = new TextEncoder().encode('{app="late"}');
    // StreamAdapter: entries (2), unknown varint field 9, then labels (1).
    const stream = new Uint8Array([0x12, entry.length, ...entry, 0x48, 0x2a, 0x0a, labels.length, ...labels]);
    const body = new Uint8Array([0x0a, stream.length, ...stream]);
    expect(decodeProto(body)).toEqual(reference(body));
    expect(decodeProto(body)[0]!.labels).toEqual({ app: "late" });
  });

  test("a known field with the wrong wire type is rejected with a reason", () => {
    // StreamAdapter.entries (field 2) sent as a varint.
    expect(reject(new Uint8Array([0x0a, 0x02, 0x10, 0x01]))).toContain("wire type");
  });
});
