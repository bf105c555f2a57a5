import { describe, expect, test } from "bun:test";
import { formatInstant, nowInstant, parseEpochNanos, parseRfc3339, ZERO_TIME_TEXT, isZeroInstant } from "../../src/capture/timestamp.ts";

describe("capture timestamps (RFC3339Nano, Go-compatible)", () => {
  test("trims trailing fractional zeros and drops a zero fraction", () => {
    expect(formatInstant(1736935200, 0)).toBe("2025-01-15T10:00:00Z");
    expect(formatInstant(1736935200, 120_000_000)).toBe("2025-01-15T10:00:00.12Z");
    expect(formatInstant(1736935200, 1)).toBe("2025-01-15T10:00:00.000000001Z");
  });

  test("Loki nanosecond strings convert exactly, beyond double precision", () => {
    expect(parseEpochNanos("1700000000123456789")).toEqual({ sec: 1700000000, nsec: 123456789 });
    expect(parseEpochNanos(" 42 ")).toEqual({ sec: 0, nsec: 42 });
    expect(parseEpochNanos("1.5")).toBeNull();
    expect(parseEpochNanos("abc")).toBeNull();
  });

  test("parses any RFC3339 offset into the same instant", () => {
    const z = parseRfc3339("2024-01-15T10:32:01.5Z")!;
    expect(parseRfc3339("2024-01-15T11:32:01.500+01:00")).toEqual(z);
    expect(formatInstant(z.sec, z.nsec)).toBe("2024-01-15T10:32:01.5Z");
    expect(parseRfc3339("2024-01-15 10:32:01Z")).toBeNull();
    expect(parseRfc3339("2024-13-15T10:32:01Z")).toBeNull();
  });

  test("Go's zero time round-trips", () => {
    const zero = parseRfc3339(ZERO_TIME_TEXT)!;
    expect(isZeroInstant(zero)).toBe(true);
    expect(formatInstant(zero.sec, zero.nsec)).toBe(ZERO_TIME_TEXT);
  });

  test("now is the wall clock (Date.now), to the millisecond", () => {
    for (let i = 0; i < 1000; i++) {
      const before = Date.now();
      const t = nowInstant();
      const after = Date.now();
      const ms = t.sec * 1000 + t.nsec / 1e6;
      expect(ms >= before && ms < after + 1).toBe(true);
    }
  });

  test("now is monotonic within the process", () => {
    let prev = nowInstant();
    for (let i = 0; i < 10_000; i++) {
      const t = nowInstant();
      expect(t.sec > prev.sec || (t.sec === prev.sec && t.nsec >= prev.nsec)).toBe(true);
      prev = t;
    }
  });
});

describe("fast RFC3339 parser used by readers", () => {
  test("agrees with the reference parser", async () => {
    const { parseRfc3339Fast } = await import("../../src/capture/timestamp.ts");
    for (const s of [
      "2024-01-15T10:32:01Z",
      "2024-01-15T10:32:01.5Z",
      "2024-01-15T10:32:01.123456789Z",
      "2024-01-15T11:32:01.5+01:00",
      "2024-01-15T05:02:01-05:30",
      "0001-01-01T00:00:00Z",
      "2024-02-29T23:59:59.000000001Z",
      "2024-01-15T10:32:01.Z",
      "2024-01-15T25:32:01Z",
      "2024-01-15T10:32:01",
      "2024-01-15T10:32:01.1234567891Z",
      "garbage-and-more-garbage",
    ]) {
      expect({ s, t: parseRfc3339Fast(s) }).toEqual({ s, t: parseRfc3339(s) });
    }
  });
});
