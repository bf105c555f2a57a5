// The benchmark captures' error-rate knob (scripts/bench/read/error-share.ts): its counts are what the triage matrix
// checks triage against, so they must be exact by triage's own rule.
import { describe, expect, test } from "bun:test";
import { ERROR_KEYWORDS, isErrorLine } from "../../src/analysis/signature/error-line.ts";
import { neutralize, PushErrors } from "../../scripts/bench/read/error-share.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

function picks(share: number, n: number, seed: number): number[] {
  const p = new PushErrors(share, n, mulberry32(seed));
  return Array.from({ length: n }, (_, i) => (p.next() ? i : -1)).filter((i) => i >= 0);
}

describe("PushErrors", () => {
  test("exactly round(share × entries) entries of a push, at random positions, the same for the same seed", () => {
    for (const [share, n] of [[0.01, 13_000], [0.3, 13_000], [0.3, 7], [0, 100], [1, 100], [0.5, 1]] as const) {
      expect(picks(share, n, 1).length).toBe(Math.round(share * n));
    }
    const a = picks(0.3, 13_000, 42);
    expect(picks(0.3, 13_000, 42)).toEqual(a);
    expect(picks(0.3, 13_000, 43)).not.toEqual(a);
    // Spread over the push, not bunched at one end: each quarter holds about a quarter of them.
    for (let q = 0; q < 4; q++) {
      const inQuarter = a.filter((i) => i >= q * 3250 && i < (q + 1) * 3250).length;
      expect(inQuarter).toBeGreaterThan(900);
      expect(inQuarter).toBeLessThan(1050);
    }
  });

  test("every phrase makes an error line, and they vary", () => {
    const p = new PushErrors(1, 1, mulberry32(7));
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const s = p.phrase();
      expect(isErrorLine(s)).toBe(true);
      expect(s).not.toContain('"');
      seen.add(s);
    }
    expect(seen.size).toBeGreaterThan(20);
  });
});

describe("neutralize", () => {
  test("no keyword survives, in any case, and the rest of the line is kept", () => {
    for (const k of ERROR_KEYWORDS) {
      for (const w of [k, k.toUpperCase(), k[0]!.toUpperCase() + k.slice(1)]) {
        const line = `{"level":"info","msg":"before ${w} after","n":1}`;
        const out = neutralize(line);
        expect(isErrorLine(out)).toBe(false);
        expect(out.startsWith('{"level":"info","msg":"before ')).toBe(true);
        expect(out.endsWith(' after","n":1}')).toBe(true);
      }
    }
    expect(neutralize("2026-01-01T00:00:00Z ERROR [auth] request failed: java.lang.NullPointerException")).toBe(
      "2026-01-01T00:00:00Z ISSUE [auth] request missed: java.lang.NullPointerAnomaly",
    );
    expect(neutralize("upstream request Timeout, connection refused")).toBe("upstream request Time limit, connection declined");
  });
});
