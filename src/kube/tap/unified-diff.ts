/** Unified diff text (`diff -u` layout: `---`/`+++` headers, `@@ -l,n +l,n @@` hunks, 3 lines of context). */

import { diffLines, type Edit } from "./line-diff.ts";

/** GNU's range: `l,n`, just `l` when n is 1, and for an empty range the line before it. */
function range(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

/** The diff of `a` → `b` (lines without newlines); "" when they are equal. */
export function unifiedDiff(a: readonly string[], b: readonly string[], fromLabel: string, toLabel: string, context = 3): string {
  const edits: (Edit & { ai: number; bi: number })[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of diffLines(a, b)) {
    edits.push({ ...e, ai, bi });
    if (e.op !== "insert") ai++;
    if (e.op !== "delete") bi++;
  }
  const changed = edits.map((e, i) => (e.op === "equal" ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return "";
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  let i = 0;
  while (i < changed.length) {
    // A hunk runs from `context` lines before a change to `context` after the last change within reach.
    let last = changed[i]!;
    let j = i + 1;
    while (j < changed.length && changed[j]! - last - 1 <= 2 * context) last = changed[j++]!;
    const from = Math.max(0, changed[i]! - context);
    const to = Math.min(edits.length, last + context + 1);
    const slice = edits.slice(from, to);
    const aStart = slice[0]!.ai;
    const bStart = slice[0]!.bi;
    const aCount = slice.filter((e) => e.op !== "insert").length;
    const bCount = slice.filter((e) => e.op !== "delete").length;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const e of slice) out.push(`${e.op === "equal" ? " " : e.op === "delete" ? "-" : "+"}${e.line}`);
    i = j;
  }
  return out.join("\n") + "\n";
}
