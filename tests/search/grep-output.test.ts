import { expect, test } from "bun:test";
import { grepTextLines } from "../../src/search/grep-output.ts";
import type { GrepHit } from "../../src/search/context-groups.ts";

test("text lines: the clock is the UTC time to the millisecond, truncated, for any instant (Date as the oracle)", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const instants: [number, number][] = [[0, 0], [59, 999_999_999], [86_399, 5_000_000], [1_767_225_600, 10_000_000], [-1, 999_000_000], [-86_401, 1]];
  for (let i = 0; i < 2000; i++) instants.push([Math.floor(rand() * 4e9) - 1e9, Math.floor(rand() * 1e9)]);
  const hits: GrepHit[] = instants.map(([sec, nsec]) => ({ entry: { sec, nsec, labels: { app: "a" }, msg: "m" }, file: "f", group: 0 }));
  const clocks = grepTextLines(hits, false).map((l) => l.slice(0, 12));
  expect(clocks).toEqual(instants.map(([sec, nsec]) => new Date(sec * 1000 + Math.floor(nsec / 1e6)).toISOString().slice(11, 23)));
});

test("text lines for a million hits: no argument list the size of the hits (it overflowed the stack)", () => {
  const hits: GrepHit[] = Array.from({ length: 1_000_000 }, (_, i) => ({ entry: { sec: i, nsec: 0, labels: { app: i === 999_999 ? "widest" : "a" }, msg: "m" }, file: "f", group: 0 }));
  const lines = grepTextLines(hits, false);
  expect(lines.length).toBe(1_000_000);
  expect(lines[0]).toBe("00:00:00.000 [a]      m");
});
