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
      // Whole milliseconds, in integers: t.sec * 1000 + t.nsec / 1e6 rounds x.9999995 up to the next one.
      const ms = t.sec * 1000 + Math.floor(t.nsec / 1e6);
      expect(ms >= before && ms <= after).toBe(true);
      expect(Number.isInteger(t.nsec) && t.nsec >= 0 && t.nsec < 1e9).toBe(true);
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

describe("RFC3339 from a line's bytes (triage's frame tally)", () => {
  test("the same answer as the text parser, for every shape and after every minute it cached", async () => {
    const { parseRfc3339Bytes, parseRfc3339In } = await import("../../src/capture/timestamp.ts");
    const shapes = [
      "2024-01-15T10:32:01Z", "2024-01-15T10:32:01.5Z", "2024-01-15T10:32:01.123456789Z", "2024-01-15T10:32:59.9Z",
      "2024-01-15T10:32:60Z", "2024-01-15T10:32:61Z", "2024-01-15T10:32:6aZ", "2024-01-15T10:33:00Z",
      "2024-01-15t10:32:01Z", "2024-01-15T10:32:01z", "2024-01-15T10:32:01.Z", "2024-01-15T10:32:01.1234567891Z",
      "2024-01-15T10:32:01.12a4Z", "2024-01-15T10:32:01+01:00", "2024-01-15T11:32:01.5+01:00", "2024-01-15T24:00:00Z",
      "2024-01-15T23:60:00Z", "2024-02-30T10:32:01Z", "2024-01-15X10:32:01Z", "2024-01-15T10-32:01Z", "20240115T103201Z",
      "2024-01-15T10:32:0Z", "0001-01-01T00:00:00Z", "2024-12-31T23:59:59.999999999Z", "2025-01-01T00:00:00Z",
      "2024-01-15T10:32:01.5\u00e9Z", "2024-01-15T10:32:01.\u00ff5Z",
    ];
    // Each shape after each other one, so that every cached minute is compared with every next timestamp.
    for (const before of shapes) {
      for (const s of shapes) {
        const line = Buffer.from(`{"ts":"${before}"}\n{"ts":"${s}"}`, "latin1");
        const a = { sec: -1, nsec: -1 };
        parseRfc3339Bytes(line, 7, 7 + before.length, a);
        const got = { sec: -1, nsec: -1 };
        const ok = parseRfc3339Bytes(line, line.length - 2 - s.length, line.length - 2, got);
        const want = { sec: -1, nsec: -1 };
        const wantOk = parseRfc3339In(s, 0, s.length, want);
        expect({ before, s, ok, t: ok ? got : null }).toEqual({ before, s, ok: wantOk, t: wantOk ? want : null });
      }
    }
  });
});
