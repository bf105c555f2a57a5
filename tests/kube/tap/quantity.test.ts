/** Quantities (§22.3 validation 2, §22.4 limits): validation message, exact doubling, upstream's quirk for comparison. */

import { describe, expect, test } from "bun:test";
import { doubleQuantity, parseQuantity, quantityProblem, sameQuantity, upstreamDoubleQuantity } from "../../../src/kube/tap/quantity.ts";

describe("quantity validation", () => {
  test("accepts apimachinery's grammar", () => {
    for (const q of ["16Mi", "25m", "100m", "64Mi", "1Gi", "1.5Gi", "0.5", ".5", "1.", "64", "1e3", "1E3", "2E", "5e-2", "+1", "0", "-0", "100n", "3u", "1k", "2Ki", "7Ei"]) {
      expect(quantityProblem("--sidecar-memory", q), q).toBeNull();
    }
  });

  test("refuses anything else with §22.3's message, naming the flag", () => {
    for (const q of ["", "abc", "16MB", "16 Mi", "1.5.5", "1e", "Mi", "-1", "-16Mi", "1e3m", "16mi", "0x10", "1,5"]) {
      expect(quantityProblem("--sidecar-cpu", q), q).toBe(`invalid --sidecar-cpu "${q}": must be a valid Kubernetes resource quantity (e.g. 16Mi, 25m, 100m, 64Mi)`);
    }
  });

  test("an exponent is read before the exa suffix", () => {
    expect(parseQuantity("1E3")?.suffix).toBe("E3");
    expect(parseQuantity("1E")?.suffix).toBe("E");
  });
});

describe("the limit is twice the request", () => {
  test("§22.4's examples", () => {
    for (const [q, d] of [["16Mi", "32Mi"], ["25m", "50m"], ["100m", "200m"], ["1Gi", "2Gi"], ["64", "128"]]) expect(doubleQuantity(q!)).toBe(d!);
  });

  test("fractions are doubled as numbers (upstream: 1.5Gi → 2.5Gi, 0.5 → 0.5)", () => {
    expect(doubleQuantity("1.5Gi")).toBe("3Gi");
    expect(doubleQuantity("0.5")).toBe("1");
    expect(doubleQuantity(".75")).toBe("1.5");
    expect(doubleQuantity("0.05")).toBe("0.1");
    expect(doubleQuantity("1.")).toBe("2");
    expect(doubleQuantity("1.5e3")).toBe("3e3");
    expect(upstreamDoubleQuantity("1.5Gi")).toBe("2.5Gi");
    expect(upstreamDoubleQuantity("0.5")).toBe("0.5");
    expect(upstreamDoubleQuantity("abc")).toBe("abc");
  });

  test("doubling is exact for many quantities: the same amount as 2 × the number, in the same suffix", () => {
    const suffixes = ["", "m", "k", "Ki", "Mi", "Gi", "e2", "e-3", "M", "n"];
    for (let i = 0; i < 500; i++) {
      const whole = String((i * 7919) % 5000);
      const frac = i % 3 === 0 ? "" : `.${String((i * 104729) % 1000).padStart(3, "0")}`;
      const suffix = suffixes[i % suffixes.length]!;
      const q = `${whole}${frac}${suffix}`;
      const d = doubleQuantity(q);
      // An independent reckoning: the number times two in floating point, three decimals (exact at this size).
      expect(sameQuantity(d, `${(2 * Number(whole + frac)).toFixed(3)}${suffix}`), q).toBe(true);
      expect(d.endsWith(suffix) && !/\.\d*0(?=\D|$)/.test(d.slice(0, d.length - suffix.length)), `${q} → ${d}`).toBe(true);
    }
  });
});

describe("sameQuantity compares amounts, as the API server's canonical form needs", () => {
  test("equal amounts written differently", () => {
    for (const [a, b] of [["1.5Gi", "1536Mi"], ["0.5", "500m"], ["1k", "1000"], ["1e3", "1k"], ["5e-2", "50m"], ["1Ki", "1024"], ["2", "2000m"], ["100M", "1e8"]]) {
      expect(sameQuantity(a!, b!), `${a} = ${b}`).toBe(true);
    }
  });

  test("different amounts", () => {
    for (const [a, b] of [["1Gi", "1G"], ["16Mi", "32Mi"], ["1m", "1"], ["1k", "1Ki"]]) expect(sameQuantity(a!, b!), `${a} ≠ ${b}`).toBe(false);
  });
});
