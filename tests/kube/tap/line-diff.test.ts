/** Myers' line diff and the unified-diff text built on it. */

import { describe, expect, test } from "bun:test";
import { diffLines } from "../../../src/kube/tap/line-diff.ts";
import { unifiedDiff } from "../../../src/kube/tap/unified-diff.ts";
import { rng } from "./generate-workload.ts";

/** The longest common subsequence's length by dynamic programming: the reference a shortest script must meet. */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

/** Applies a unified diff to `a` (a small patch program, independent of the differ). */
function applyUnified(a: string[], diff: string): string[] {
  const lines = diff.split("\n").slice(2, -1);
  const out: string[] = [];
  let ai = 0;
  for (const line of lines) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (h) {
      const start = h[2] === "0" ? Number(h[1]) : Number(h[1]) - 1;
      while (ai < start) out.push(a[ai++]!);
      continue;
    }
    if (line.startsWith("+")) out.push(line.slice(1));
    else {
      expect(a[ai]).toBe(line.slice(1));
      if (line.startsWith(" ")) out.push(a[ai]!);
      ai++;
    }
  }
  while (ai < a.length) out.push(a[ai++]!);
  return out;
}

describe("diffLines", () => {
  test("turns a into b with a shortest script (matches the LCS), on random inputs", () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const a = Array.from({ length: r.int(0, 25) }, () => r.pick(["a", "b", "c", "d", "e"]));
      const b = Array.from({ length: r.int(0, 25) }, () => r.pick(["a", "b", "c", "d", "e"]));
      const edits = diffLines(a, b);
      expect(edits.filter((e) => e.op !== "insert").map((e) => e.line), `seed ${seed}`).toEqual(a);
      expect(edits.filter((e) => e.op !== "delete").map((e) => e.line), `seed ${seed}`).toEqual(b);
      expect(edits.filter((e) => e.op === "equal").length, `seed ${seed}`).toBe(lcs(a, b));
    }
  });
});

describe("unifiedDiff", () => {
  test("GNU's layout: headers, hunk ranges, three lines of context, separate hunks for distant changes", () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b.splice(1, 1, "changed 2");
    b.splice(17, 0, "inserted");
    expect(unifiedDiff(a, b, "old", "new")).toBe(
      [
        "--- old",
        "+++ new",
        "@@ -1,5 +1,5 @@",
        " line 1",
        "-line 2",
        "+changed 2",
        " line 3",
        " line 4",
        " line 5",
        "@@ -15,6 +15,7 @@",
        " line 15",
        " line 16",
        " line 17",
        "+inserted",
        " line 18",
        " line 19",
        " line 20",
        "",
      ].join("\n"),
    );
  });

  test("equal inputs give no diff; edge ranges", () => {
    expect(unifiedDiff(["a"], ["a"], "x", "y")).toBe("");
    expect(unifiedDiff([], ["a"], "x", "y")).toBe("--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
    expect(unifiedDiff(["a"], [], "x", "y")).toBe("--- x\n+++ y\n@@ -1 +0,0 @@\n-a\n");
  });

  test("applying the diff to a gives b, on random inputs", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(1000 + seed);
      const a = Array.from({ length: r.int(0, 40) }, () => r.pick(["a", "b", "c", "d", "e", "f", "g"]));
      const b = a.filter(() => r.chance(0.85)).flatMap((x) => (r.chance(0.1) ? [x, "new"] : [x]));
      expect(applyUnified(a, unifiedDiff(a, b, "a", "b") || "x\ny\n"), `seed ${seed}`).toEqual(b);
    }
  });
});
