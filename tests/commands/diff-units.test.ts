import { describe, expect, test } from "bun:test";
import { classifyVerdict, errorRate, percentChange } from "../../src/analysis/diff/verdict.ts";
import { formatPercentChange } from "../../src/analysis/diff/compare.ts";
import { goDuration, goFixed0, goList, MIN_DURATION_NS, clampDuration } from "../../src/analysis/diff/go-text.ts";

describe("classifyVerdict: the rule table at its boundaries (§13.2)", () => {
  const cases: [number, number, boolean, string, number][] = [
    [-20.0001, 0, true, "improvement", 0.7],
    [-50, 0, false, "improvement", 0.7],
    [-50.0001, 500, true, "improvement", 0.9],
    [-20, 0, false, "stable", 0.8], // rule 1 needs E < -20
    [50.0001, 0, true, "regression", 0.7],
    [100, 0, true, "regression", 0.7],
    [100.0001, 0, true, "regression", 0.85],
    [200, 0, true, "regression", 0.85],
    [200.0001, 90, true, "regression", 0.95],
    [50, 0, true, "different", 0.5], // rule 2 needs E > 50; rule 6
    [50, 50.0001, false, "different", 0.6],
    [0, -60, true, "different", 0.6], // rule 3 comes before the pattern rules
    [50, 50, false, "stable", 0.5], // rule 7
    [60, 80, false, "different", 0.5], // rule 4: |E| > 50 so not rule 3
    [5, 0, false, "stable", 0.95],
    [-5, 0, false, "stable", 0.95],
    [5.0001, 0, false, "stable", 0.8],
    [20, 0, false, "stable", 0.8],
    [20.0001, 0, false, "stable", 0.5],
    [0, 0, true, "different", 0.5],
  ];
  for (const [e, v, p, verdict, confidence] of cases) {
    test(`E=${e} V=${v} P=${p} → ${verdict} ${confidence}`, () => {
      expect(classifyVerdict(e, v, p)).toEqual({ verdict: verdict as never, confidence });
    });
  }
});

describe("diff arithmetic and Go renderings", () => {
  test("percentChange, errorRate", () => {
    expect(percentChange(0, 0)).toBe(0);
    expect(percentChange(0, 3)).toBe(100);
    expect(percentChange(10, 100)).toBe(900);
    expect(percentChange(10, 8)).toBeCloseTo(-20);
    expect(errorRate(1, 0)).toBe(0);
    expect(errorRate(1, 10)).toBe(10);
  });

  test("formatPercentChange is Go's +%.0f%% / %.0f%%", () => {
    expect(formatPercentChange(0)).toBe("+0%");
    expect(formatPercentChange(900)).toBe("+900%");
    expect(formatPercentChange(-20)).toBe("-20%");
    expect(formatPercentChange(2.5)).toBe("+2%");
    expect(formatPercentChange(3.5)).toBe("+4%");
    expect(formatPercentChange(-0.3)).toBe("-0%");
    expect(formatPercentChange(-2.5)).toBe("-2%");
    expect(goFixed0(95.00000000000001)).toBe("95");
  });

  test("goDuration is time.Duration.String", () => {
    expect(goDuration(0n)).toBe("0s");
    expect(goDuration(999n)).toBe("999ns");
    expect(goDuration(1_500n)).toBe("1.5µs");
    expect(goDuration(12_000_000n)).toBe("12ms");
    expect(goDuration(2_000_000_000n)).toBe("2s");
    expect(goDuration(1_500_000_000n)).toBe("1.5s");
    expect(goDuration(90_000_000_000n)).toBe("1m30s");
    expect(goDuration(3_600_000_000_000n)).toBe("1h0m0s");
    expect(goDuration(-5_000_000_000n)).toBe("-5s");
    expect(goDuration(MIN_DURATION_NS)).toBe("-2562047h47m16.854775808s");
    expect(clampDuration(-(10n ** 20n))).toBe(MIN_DURATION_NS);
  });

  test("goList is %v of a []string", () => {
    expect(goList(["a", "b"])).toBe("[a b]");
    expect(goList([])).toBe("[]");
  });
});
