import { describe, expect, test } from "bun:test";
import { parseLogLine } from "../../../src/kube/follow/log-records.ts";

const FALLBACK = { sec: 1, nsec: 2 };
const at = (iso: string, nsec: number) => ({ sec: Date.parse(iso) / 1000, nsec });

describe("parseLogLine", () => {
  test("one record: the kubelet's RFC3339NanoFixed prefix and the text after one space", () => {
    expect(parseLogLine("2026-03-01T10:00:00.000000042Z hello  world", FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:00Z", 42), text: "hello  world" }]);
  });

  test("older kubelets trim zeros (RFC3339Nano) and may print an offset", () => {
    expect(parseLogLine("2026-03-01T10:00:00.5Z x", FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:00Z", 500_000_000), text: "x" }]);
    expect(parseLogLine("2026-03-01T12:00:00.000000001+02:00 y", FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:00Z", 1), text: "y" }]);
  });

  test("an empty line is a record with empty text", () => {
    expect(parseLogLine("2026-03-01T10:00:00.000000001Z ", FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:00Z", 1), text: "" }]);
  });

  test("a runtime-split line with a prefix before every part: one record per part, texts joined without the prefixes", () => {
    const line = "2026-03-01T10:00:00.000000001Z part one 2026-03-01T10:00:00.000000007Zpart two2026-03-01T10:00:00.100000000Z end";
    // The second part starts right after its prefix's space: "2026-…Zpart" has no space, so it is text.
    expect(parseLogLine("2026-03-01T10:00:00.000000001Z aaa2026-03-01T10:00:00.000000007Z bbb2026-03-01T10:00:00.100000000Z ccc", FALLBACK)).toEqual([
      { ...at("2026-03-01T10:00:00Z", 1), text: "aaa" },
      { ...at("2026-03-01T10:00:00Z", 7), text: "bbb" },
      { ...at("2026-03-01T10:00:00Z", 100_000_000), text: "ccc" },
    ]);
    expect(parseLogLine(line, FALLBACK).map((r) => r.text)).toEqual(["part one 2026-03-01T10:00:00.000000007Zpart two", "end"]);
  });

  test("a timestamp inside the message is text: not later than the record, or too far ahead, or not followed by a space", () => {
    const earlier = "2026-03-01T10:00:05.000000000Z request from 2026-03-01T10:00:04.999999999Z done";
    expect(parseLogLine(earlier, FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:05Z", 0), text: "request from 2026-03-01T10:00:04.999999999Z done" }]);
    const same = "2026-03-01T10:00:05.000000000Z at 2026-03-01T10:00:05.000000000Z ok";
    expect(parseLogLine(same, FALLBACK)).toHaveLength(1);
    const future = "2026-03-01T10:00:05.000000000Z expires 2027-01-01T00:00:00Z soon";
    expect(parseLogLine(future, FALLBACK)).toEqual([{ ...at("2026-03-01T10:00:05Z", 0), text: "expires 2027-01-01T00:00:00Z soon" }]);
    expect(parseLogLine("2026-03-01T10:00:05.000000000Z XYZ and Z at the end Z", FALLBACK)).toHaveLength(1);
  });

  test("a line without a timestamp prefix is one record stamped with the fallback", () => {
    expect(parseLogLine("no prefix here", FALLBACK)).toEqual([{ ...FALLBACK, text: "no prefix here" }]);
    expect(parseLogLine("", FALLBACK)).toEqual([{ ...FALLBACK, text: "" }]);
  });
});
