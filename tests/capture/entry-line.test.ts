import { describe, expect, test } from "bun:test";
import { decodeEntryLine, encodeEntryLine } from "../../src/capture/entry-line.ts";

describe("capture line codec (upstream §2.3)", () => {
  test("field order, sorted labels and Go HTML escaping match the upstream example byte for byte", () => {
    const line = encodeEntryLine({ sec: 1736935200, nsec: 0, labels: { app: "web" }, msg: "hello world" });
    expect(line + "\n").toBe('{"ts":"2025-01-15T10:00:00Z","labels":{"app":"web"},"msg":"hello world"}\n');
    expect(Buffer.byteLength(line + "\n")).toBe(73);
    expect(encodeEntryLine({ sec: 0, nsec: 0, labels: { z: "1", a: "<&>" }, msg: "a<b>&c\u2028" })).toBe(
      '{"ts":"1970-01-01T00:00:00Z","labels":{"a":"\\u003c\\u0026\\u003e","z":"1"},"msg":"a\\u003cb\\u003e\\u0026c\\u2028"}',
    );
  });

  test("no labels: the key is omitted; structured metadata goes in `meta`", () => {
    expect(encodeEntryLine({ sec: 0, nsec: 5, labels: {}, msg: "" })).toBe('{"ts":"1970-01-01T00:00:00.000000005Z","msg":""}');
    expect(encodeEntryLine({ sec: 0, nsec: 0, labels: {}, msg: "m", meta: { trace_id: "t1" } })).toBe(
      '{"ts":"1970-01-01T00:00:00Z","msg":"m","meta":{"trace_id":"t1"}}',
    );
  });

  test("decodes upstream lines with offsets, and skips what is not an entry", () => {
    const e = decodeEntryLine('{"ts":"2025-01-15T11:00:00.25+01:00","labels":{"app":"web"},"msg":"x","extra":1}')!;
    expect(e).toEqual({ sec: 1736935200, nsec: 250_000_000, labels: { app: "web" }, msg: "x" });
    expect(decodeEntryLine("not json")).toBeNull();
    expect(decodeEntryLine('{"ts":"yesterday","msg":"x"}')).toBeNull();
    expect(decodeEntryLine('{"ts":"2025-01-15T10:00:00Z","labels":{"a":1},"msg":"x"}')).toBeNull();
  });

  test("round-trips unicode and control characters", () => {
    const msg = "é中文\t\n\u0001🙂";
    const e = decodeEntryLine(encodeEntryLine({ sec: 1, nsec: 2, labels: { k: "v" }, msg }))!;
    expect(e.msg).toBe(msg);
  });
});
