/**
 * The forwarder's push bodies decode, through the receiver's own decoders, to exactly the entries encoded:
 * snappy protobuf and JSON, several streams, nanosecond timestamps, structured metadata, awkward text; and the
 * 1 MiB bound splits a batch instead of dropping it.
 */

import { describe, expect, test } from "bun:test";
import snappy from "snappyjs";
import type { Entry, Labels } from "../../src/model/entry.ts";
import { decodeJson } from "../../src/protocols/loki/decode-json.ts";
import { decodeProto } from "../../src/protocols/loki/decode-proto.ts";
import { unixNanosText } from "../../src/protocols/loki/encode-json.ts";
import { encodePushes, estimateBytes } from "../../src/forward/push-batch.ts";

const web: Labels = Object.freeze({ container: "app", namespace: "default", pod: "web-0", session: "lt-0123456789abcdef" });
const side: Labels = Object.freeze({ app: "shop", container: "side", namespace: "default", pod: "web-0", session: "lt-0123456789abcdef" });

function entries(): Entry[] {
  return [
    { sec: 1_700_000_000, nsec: 1, labels: web, msg: "first" },
    { sec: 1_700_000_000, nsec: 999_999_999, labels: side, msg: 'quote " backslash \\ tab \t newline-less ünïcødé 日本 😀' },
    { sec: 1_700_000_001, nsec: 0, labels: web, msg: "" },
    { sec: 1_700_000_002, nsec: 500, labels: web, msg: "with meta", meta: { trace_id: "abc" } },
  ];
}

const plain = (es: Entry[]) => es.map((e) => ({ sec: e.sec, nsec: e.nsec, labels: { ...e.labels }, msg: e.msg, ...(e.meta ? { meta: { ...e.meta } } : {}) }));
/** The receiver's decoders return entries grouped by stream, in stream order. */
const byStream = (es: Entry[]) => [...es.filter((e) => e.labels === web), ...es.filter((e) => e.labels === side)];

describe("push bodies", () => {
  test("snappy protobuf decodes to the same entries, grouped by stream", () => {
    const { batches, tooLarge } = encodePushes(entries(), "protobuf");
    expect(tooLarge).toEqual([]);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.contentType).toBe("application/x-protobuf");
    expect(batches[0]!.lines).toBe(4);
    expect(plain(decodeProto(snappy.uncompress(batches[0]!.body)))).toEqual(plain(byStream(entries())));
  });

  test("JSON decodes to the same entries", () => {
    const { batches } = encodePushes(entries(), "json");
    expect(batches[0]!.contentType).toBe("application/json");
    expect(plain(decodeJson(batches[0]!.body))).toEqual(plain(byStream(entries())));
  });

  test("nanoseconds as decimal text, also before 1970", () => {
    expect(unixNanosText({ sec: 1_700_000_000, nsec: 5, labels: web, msg: "" })).toBe("1700000000000000005");
    expect(unixNanosText({ sec: 0, nsec: 7, labels: web, msg: "" })).toBe("7");
    expect(unixNanosText({ sec: -1, nsec: 500_000_000, labels: web, msg: "" })).toBe("-500000000");
  });

  test("the size estimate is upstream's: label names and values once per stream, line length + 24", () => {
    const labelBytes = (l: Labels) => Object.entries(l).reduce((n, [k, v]) => n + k.length + v.length, 0);
    const es = entries();
    const lines = es.reduce((n, e) => n + e.msg.length + 24, 0);
    expect(estimateBytes(es)).toBe(lines + labelBytes(web) + labelBytes(side));
  });

  test("over the body bound a batch is halved until each part fits, in order; a line alone over it is reported", () => {
    const many: Entry[] = Array.from({ length: 64 }, (_, i) => ({ sec: 1_700_000_000 + i, nsec: 0, labels: web, msg: `line ${i} ${"x".repeat(1000)}` }));
    const { batches, tooLarge } = encodePushes(many, "protobuf", 10_000);
    expect(tooLarge).toEqual([]);
    expect(batches.length).toBeGreaterThan(6);
    for (const b of batches) expect(snappy.uncompress(b.body).length).toBeLessThanOrEqual(10_000);
    expect(batches.flatMap((b) => decodeProto(snappy.uncompress(b.body)).map((e) => e.msg))).toEqual(many.map((e) => e.msg));
    const huge: Entry = { sec: 1, nsec: 0, labels: web, msg: "y".repeat(20_000) };
    const mixed = encodePushes([many[0]!, huge, many[1]!], "json", 10_000);
    expect(mixed.tooLarge).toEqual([huge]);
    expect(mixed.batches.flatMap((b) => decodeJson(b.body).map((e) => e.msg))).toEqual([many[0]!.msg, many[1]!.msg]);
  });
});
