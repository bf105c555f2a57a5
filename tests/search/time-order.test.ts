import { expect, test } from "bun:test";
import { timeOrder } from "../../src/search/time-order.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

/** The definition: a stable comparison sort. */
function byComparison(sec: Float64Array, nsec: Int32Array, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => sec[a]! - sec[b]! || nsec[a]! - nsec[b]! || a - b);
}

// Spans below one digit of seconds, over several, over 2^32 s; many equal times (stability) and few distinct ones.
test("the radix order is the stable comparison order", () => {
  const r = mulberry32(3);
  for (const [span, distinctNsec] of [[10, 5], [100_000, 1e9], [2 ** 33, 1e9], [1, 3]] as const) {
    for (let round = 0; round < 20; round++) {
      const n = 1 + Math.floor(r() * 5000);
      const sec = new Float64Array(n);
      const nsec = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        sec[i] = 1_767_225_600 + Math.floor(r() * span);
        nsec[i] = Math.floor(r() * distinctNsec) % 1e9;
      }
      expect([...(timeOrder(sec, nsec, n) ?? Array.from({ length: n }, (_, i) => i))]).toEqual(byComparison(sec, nsec, n));
    }
  }
});

test("hits already in time order need no permutation; one out of place does", () => {
  const sec = Float64Array.from([5, 5, 6, 7]);
  const nsec = Int32Array.from([1, 1, 0, 0]);
  expect(timeOrder(sec, nsec, 4)).toBeNull();
  nsec[1] = 0;
  expect([...timeOrder(sec, nsec, 4)!]).toEqual([1, 0, 2, 3]);
});
