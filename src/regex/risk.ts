/**
 * Static screening of user patterns for catastrophic (exponential) backtracking. JavaScript regexes backtrack, so a
 * repeated group that can split the same text into iterations in many ways — `(a+)+`, `(a|a)*`, `(.*,)*` — explores
 * all of them when a match fails. The test is deliberately conservative: it may reject a safe pattern (`(ab+)+`),
 * and it does not look for polynomial cases such as `.*.*x`, which stay bounded by the length of one log message.
 */

import type { Node, RepeatNode } from "./ast.ts";
import { type CharSet, EMPTY, intersects, union } from "./charset.ts";

export function backtrackingRisk(root: Node, pattern: string): string | null {
  for (const rep of repeats(root)) {
    if (rep.max < 2) continue;
    const text = pattern.slice(rep.start, rep.end);
    if (containsVariableRepeat(rep.sub) && !delimited(rep.sub)) return `nested quantifiers in \`${text}\``;
    if (hasOverlappingAlternatives(rep.sub)) return `overlapping alternatives under a quantifier in \`${text}\``;
  }
  return null;
}

/** Outermost first, so the message quotes the whole construct rather than a piece of it. */
function* repeats(node: Node): Generator<RepeatNode> {
  if (node.kind === "repeat") yield node;
  for (const child of children(node)) yield* repeats(child);
}

function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case "group":
      return [node.body];
    case "repeat":
      return [node.sub];
    case "concat":
    case "alt":
      return node.items;
    default:
      return [];
  }
}

function containsVariableRepeat(node: Node): boolean {
  return (node.kind === "repeat" && node.max > node.min) || children(node).some(containsVariableRepeat);
}

function hasOverlappingAlternatives(node: Node): boolean {
  if (node.kind === "alt") {
    const firsts = node.items.map(first);
    for (let i = 0; i < firsts.length; i++) {
      for (let j = i + 1; j < firsts.length; j++) if (intersects(firsts[i]!, firsts[j]!)) return true;
    }
  }
  return children(node).some(hasOverlappingAlternatives);
}

/**
 * Whether every variable-length run inside one iteration is ended by a character the run cannot match, so that
 * the text splits into iterations one way only: `(\d+\.)*`, `([^,]*,)+`, `(?:\d{1,3}\.){3}`. A run must be a single
 * repeated character (class); anything more complex counts as ambiguous.
 */
function delimited(sub: Node): boolean {
  const body = unwrap(sub);
  // What the next iteration must begin with; it ends the last run of this one.
  const nextIteration = nullable(body) ? null : first(body);
  const branches = body.kind === "alt" ? body.items : [body];
  return branches.every((branch) => branchDelimited(unwrap(branch), nextIteration));
}

function branchDelimited(branch: Node, nextIteration: CharSet | null): boolean {
  const items = branch.kind === "concat" ? branch.items : [branch];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!containsVariableRepeat(item)) continue;
    const inner = unwrap(item);
    const run = inner.kind === "repeat" ? unwrap(inner.sub) : inner;
    if (run.kind !== "char") return false;
    let j = i + 1;
    while (j < items.length && items[j]!.kind === "assert") j++;
    const follower = j < items.length ? (nullable(items[j]!) ? null : first(items[j]!)) : nextIteration;
    if (follower === null || intersects(follower, run.set)) return false;
  }
  return true;
}

function unwrap(node: Node): Node {
  return node.kind === "group" ? unwrap(node.body) : node;
}

function nullable(node: Node): boolean {
  switch (node.kind) {
    case "char":
      return false;
    case "assert":
      return true;
    case "group":
      return nullable(node.body);
    case "repeat":
      return node.min === 0 || nullable(node.sub);
    case "concat":
      return node.items.every(nullable);
    case "alt":
      return node.items.some(nullable);
  }
}

/** Characters a match of `node` can start with. */
function first(node: Node): CharSet {
  switch (node.kind) {
    case "char":
      return node.set;
    case "assert":
      return EMPTY;
    case "group":
      return first(node.body);
    case "repeat":
      return first(node.sub);
    case "alt":
      return node.items.map(first).reduce(union, EMPTY);
    case "concat": {
      let set = EMPTY;
      for (const item of node.items) {
        set = union(set, first(item));
        if (!nullable(item)) break;
      }
      return set;
    }
  }
}
