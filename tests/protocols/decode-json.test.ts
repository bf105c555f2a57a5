import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import { decodeJson } from "../../src/protocols/loki/decode-json.ts";
import { bytes, json, rejection } from "./helpers.ts";

const push = (...values: unknown[][]) => json({ streams: [{ stream: { app: "web" }, values }] });
const reject = (body: Uint8Array) => rejection(() => decodeJson(body), "");

describe("Loki v1 JSON push: accepted bodies", () => {
  test("2-element values: [ns string, line]", () => {
    expect(decodeJson(push(["1700000000123456789", "hello"]))).toEqual([
      { sec: 1700000000, nsec: 123456789, labels: { app: "web" }, msg: "hello" },
    ]);
  });

  test("3rd element as a flat object of structured metadata", () => {
    const [entry] = decodeJson(push(["1700000000000000000", "hi", { trace_id: "abc", user: "u1" }]));
    expect(entry!.meta).toEqual({ trace_id: "abc", user: "u1" });
  });

  test("3rd element in Loki's query shape: structuredMetadata kept, parsed ignored", () => {
    const third = { structuredMetadata: { trace_id: "abc" }, parsed: { level: "info" } };
    const [entry] = decodeJson(push(["1700000000000000000", "hi", third]));
    expect(entry!.meta).toEqual({ trace_id: "abc" });
  });

  test("query shape with only parsed → no meta", () => {
    const [entry] = decodeJson(push(["1700000000000000000", "hi", { parsed: { level: "info" } }]));
    expect(entry).not.toHaveProperty("meta");
  });

  test("3rd element {} (Vector always sends it) → no meta property at all", () => {
    const [entry] = decodeJson(push(["1700000000000000000", "hi", {}]));
    expect(entry).toEqual({ sec: 1700000000, nsec: 0, labels: { app: "web" }, msg: "hi" });
    expect(entry).not.toHaveProperty("meta");
  });

  test("structured metadata comes out with sorted keys", () => {
    const [entry] = decodeJson(push(["1", "hi", { z: "1", a: "2" }]));
    expect(Object.keys(entry!.meta!)).toEqual(["a", "z"]);
  });

  test("entries of one stream share one frozen, sorted labels object", () => {
    const body = json({ streams: [{ stream: { env: "prod", app: "web" }, values: [["1", "a"], ["2", "b"]] }] });
    const [a, b] = decodeJson(body);
    expect(a!.labels).toBe(b!.labels);
    expect(Object.isFrozen(a!.labels)).toBe(true);
    expect(Object.keys(a!.labels)).toEqual(["app", "env"]);
  });

  test("the same label set is the same object across pushes and key orders", () => {
    const first = decodeJson(json({ streams: [{ stream: { a: "1", b: "2" }, values: [["1", "x"]] }] }));
    const second = decodeJson(json({ streams: [{ stream: { b: "2", a: "1" }, values: [["1", "y"]] }] }));
    expect(second[0]!.labels).toBe(first[0]!.labels);
  });

  test("labels with empty values are dropped (Loki normalises them away)", () => {
    const [entry] = decodeJson(json({ streams: [{ stream: { app: "web", env: "" }, values: [["1", "x"]] }] }));
    expect(entry!.labels).toEqual({ app: "web" });
  });

  test("a stream without `stream` has the empty label set", () => {
    const [entry] = decodeJson(json({ streams: [{ values: [["1", "x"]] }] }));
    expect(entry!.labels).toBe(EMPTY_LABELS);
  });

  test("several streams, order preserved", () => {
    const body = json({
      streams: [
        { stream: { app: "a" }, values: [["1", "a1"], ["2", "a2"]] },
        { stream: { app: "b" }, values: [["3", "b1"]] },
      ],
    });
    expect(decodeJson(body).map((e) => `${e.labels.app}:${e.msg}`)).toEqual(["a:a1", "a:a2", "b:b1"]);
  });

  test("{} / null streams / streams without values are empty pushes (Loki accepts {})", () => {
    expect(decodeJson(json({}))).toEqual([]);
    expect(decodeJson(json({ streams: null }))).toEqual([]);
    expect(decodeJson(json({ streams: [] }))).toEqual([]);
    expect(decodeJson(json({ streams: [{ stream: { app: "x" } }] }))).toEqual([]);
  });

  test("unknown fields are ignored", () => {
    const body = json({ extra: 1, streams: [{ stream: { app: "x" }, values: [["1", "x"]], hash: 7 }] });
    expect(decodeJson(body)).toHaveLength(1);
  });

  test.each([
    ["0", 0, 0],
    ["5", 0, 5],
    ["999999999", 0, 999999999],
    ["1000000000", 1, 0],
    ["0001700000000000000000", 1700000000, 0],
    ["+1700000000000000001", 1700000000, 1],
    ["-1", -1, 999999999],
    ["-1000000000", -1, 0],
    ["9223372036854775807", 9223372036, 854775807],
    ["-9223372036854775808", -9223372037, 145224192],
  ])("timestamp %j → sec %d, nsec %d", (ts, sec, nsec) => {
    const [entry] = decodeJson(push([ts, "x"]));
    expect([entry!.sec, entry!.nsec]).toEqual([sec, nsec]);
  });

  test("large lines and many entries", () => {
    const line = "x".repeat(1024 * 1024);
    const values = Array.from({ length: 20_000 }, (_, i) => [String(1_700_000_000_000_000_000n + BigInt(i)), "l" + i]);
    values.push(["1", line]);
    const entries = decodeJson(push(...values));
    expect(entries).toHaveLength(20_001);
    expect(entries[19_999]!.nsec).toBe(19_999);
    expect(entries[20_000]!.msg).toBe(line);
  });

  test("non-ASCII lines and labels", () => {
    const body = json({ streams: [{ stream: { team: "ünï" }, values: [["1", "héllo 🚀 \u2028"]] }] });
    expect(decodeJson(body)[0]).toMatchObject({ labels: { team: "ünï" }, msg: "héllo 🚀 \u2028" });
  });
});

describe("Loki v1 JSON push: rejections (400)", () => {
  test.each([
    ["a number", 1700000000000000000],
    ["a non-integer string", "1700000000.5"],
    ["an exponent", "1.7e18"],
    ["padded with spaces", " 1700000000000000000"],
    ["empty", ""],
    ["a lone sign", "-"],
    ["beyond int64", "9223372036854775808"],
    ["below int64", "-9223372036854775809"],
    ["20 significant digits", "17000000000000000000"],
    ["null", null],
  ])("timestamp that is %s", (_what, ts) => {
    expect(reject(push([ts, "x"]))).toBe(
      "invalid JSON: streams[0].values[0]: timestamp must be a string of integer nanoseconds",
    );
  });

  test("a line that is not a string", () => {
    expect(reject(push(["1", 42]))).toBe("invalid JSON: streams[0].values[0]: line must be a string");
  });

  test.each([[[]], [["1"]], [["1", "x", {}, "extra"]], ["not an array"]])("value %j (not 2 or 3 elements)", (value) => {
    expect(reject(json({ streams: [{ values: [value] }] }))).toBe(
      "invalid JSON: streams[0].values[0] must be an array of 2 or 3 elements",
    );
  });

  test.each([["a string", "trace=abc"], ["null", null], ["an array", ["a", "b"]], ["a number", 1]])(
    "3rd element that is %s",
    (_what, third) => {
      expect(reject(push(["1", "x", third]))).toBe("invalid JSON: streams[0].values[0][2] must be an object");
    },
  );

  test("structured metadata values that are not strings", () => {
    expect(reject(push(["1", "x", { n: 1 }]))).toContain("structured metadata values must be strings");
    expect(reject(push(["1", "x", { structuredMetadata: { n: true } }]))).toContain("must be strings");
    expect(reject(push(["1", "x", { structuredMetadata: "x", parsed: {} }]))).toContain("must be strings");
  });

  test("a label value that is not a string", () => {
    const body = json({ streams: [{ stream: { app: "web", replicas: 3 }, values: [["1", "x"]] }] });
    expect(reject(body)).toBe("invalid JSON: streams[0].stream.replicas: label value must be a string");
  });

  test("an invalid label name", () => {
    const body = json({ streams: [{ stream: { "app-name": "web" }, values: [["1", "x"]] }] });
    expect(reject(body)).toBe('couldn\'t parse labels: invalid label name "app-name" in streams[0]');
  });

  test.each([
    ["a top-level array", "[]", "invalid JSON: body must be an object"],
    ["streams not an array", '{"streams":{}}', "invalid JSON: streams must be an array"],
    ["a stream that is not an object", '{"streams":[1]}', "invalid JSON: streams[0] must be an object"],
    ["stream labels not an object", '{"streams":[{"stream":"{a=\\"b\\"}"}]}', "invalid JSON: streams[0].stream must be an object"],
    ["values not an array", '{"streams":[{"values":{}}]}', "invalid JSON: streams[0].values must be an array"],
  ])("%s", (_what, body, message) => {
    expect(reject(bytes(body))).toBe(message);
  });

  test.each([
    ["an empty body", ""],
    ["truncated JSON", '{"streams":[{"stream":{"app":"web"},"values":[["1","x"'],
    ["garbage", "\x00\xff garbage"],
    ["trailing garbage", '{"streams":[]} x'],
  ])("malformed JSON: %s", (_what, body) => {
    expect(reject(bytes(body))).toMatch(/^invalid JSON: ./);
  });

  test("one bad value rejects the whole push", () => {
    expect(() => decodeJson(push(["1", "ok"], ["2", "ok"], [3, "bad"]))).toThrow("streams[0].values[2]");
  });
});
