import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import { decodeLegacy } from "../../src/protocols/loki/decode-legacy.ts";
import { bytes, json, nowSec, rejection } from "./helpers.ts";

const push = (...entries: unknown[]) => json({ streams: [{ labels: '{app="web"}', entries }] });
const reject = (body: Uint8Array) => rejection(() => decodeLegacy(body), "");

describe("Loki legacy /api/prom/push JSON: accepted bodies", () => {
  test("Loki's own test body: labels string, RFC3339Nano ts, structuredMetadata", () => {
    const body = json({
      streams: [
        {
          labels: '{test="test"}',
          entries: [
            { ts: "2019-09-13T18:32:22.380001319Z", line: "super line" },
            { ts: "2019-09-13T18:32:23.380001319Z", line: "super line with labels", structuredMetadata: { b: "2", a: "1" } },
          ],
        },
      ],
    });
    const entries = decodeLegacy(body);
    expect(entries).toEqual([
      { sec: 1568399542, nsec: 380001319, labels: { test: "test" }, msg: "super line" },
      { sec: 1568399543, nsec: 380001319, labels: { test: "test" }, msg: "super line with labels", meta: { a: "1", b: "2" } },
    ]);
    expect(entries[0]!.labels).toBe(entries[1]!.labels);
    expect(Object.keys(entries[1]!.meta!)).toEqual(["a", "b"]);
  });

  test("timestamps with offsets and without fraction", () => {
    const [a, b] = decodeLegacy(push({ ts: "2024-01-01T01:00:00+01:00", line: "a" }, { ts: "2024-01-01T00:00:00Z", line: "b" }));
    expect(a!.sec).toBe(1704067200);
    expect(b!.sec).toBe(1704067200);
  });

  test("missing ts → receive time; missing line → empty message", () => {
    const before = nowSec();
    const [entry] = decodeLegacy(push({}));
    expect(entry!.sec).toBeGreaterThanOrEqual(before);
    expect(entry!.msg).toBe("");
  });

  test("empty structuredMetadata → no meta property", () => {
    const [entry] = decodeLegacy(push({ ts: "2024-01-01T00:00:00Z", line: "x", structuredMetadata: {} }));
    expect(entry).not.toHaveProperty("meta");
  });

  test("a stream without labels has the empty label set", () => {
    const [entry] = decodeLegacy(json({ streams: [{ entries: [{ ts: "2024-01-01T00:00:00Z", line: "x" }] }] }));
    expect(entry!.labels).toBe(EMPTY_LABELS);
  });

  test("{} and streams without entries are empty pushes", () => {
    expect(decodeLegacy(json({}))).toEqual([]);
    expect(decodeLegacy(json({ streams: [{ labels: '{a="b"}' }] }))).toEqual([]);
  });

  test("only `ts` names the timestamp: `timestamp` is an unknown field, as in Loki", () => {
    const before = nowSec();
    const [entry] = decodeLegacy(push({ timestamp: "2001-01-01T00:00:00Z", line: "x" }));
    expect(entry!.sec).toBeGreaterThanOrEqual(before);
  });
});

describe("Loki legacy /api/prom/push JSON: rejections (400)", () => {
  test.each([
    ["not RFC3339", "yesterday"],
    ["epoch nanoseconds (the v1 format)", "1700000000000000000"],
    ["a number", 1700000000],
  ])("ts that is %s", (_what, ts) => {
    expect(reject(push({ ts, line: "x" }))).toBe("invalid JSON: streams[0].entries[0].ts must be an RFC3339 timestamp");
  });

  test("a line that is not a string", () => {
    expect(reject(push({ ts: "2024-01-01T00:00:00Z", line: 1 }))).toBe("invalid JSON: streams[0].entries[0].line must be a string");
  });

  test("structured metadata that is not an object of strings", () => {
    expect(reject(push({ line: "x", structuredMetadata: { n: 1 } }))).toContain("structuredMetadata must be an object of strings");
    expect(reject(push({ line: "x", structuredMetadata: [] }))).toContain("structuredMetadata must be an object of strings");
  });

  test("a malformed labels string", () => {
    const body = json({ streams: [{ labels: "app=web", entries: [] }] });
    expect(reject(body)).toStartWith("couldn't parse labels: ");
  });

  test("labels given as an object (the v1 shape) instead of a string", () => {
    expect(reject(json({ streams: [{ labels: { app: "web" } }] }))).toBe("invalid JSON: streams[0].labels must be a string");
  });

  test.each([
    ["malformed JSON", bytes('{"streams":['), /^invalid JSON: ./],
    ["a top-level array", bytes("[]"), /^invalid JSON: body must be an object$/],
    ["streams not an array", json({ streams: 1 }), /^invalid JSON: streams must be an array$/],
    ["entries not an array", json({ streams: [{ entries: {} }] }), /^invalid JSON: streams\[0\]\.entries must be an array$/],
    ["an entry that is not an object", push("x"), /^invalid JSON: streams\[0\]\.entries\[0\] must be an object$/],
  ])("%s", (_what, body, message) => {
    expect(reject(body)).toMatch(message);
  });
});
