/**
 * The parsed form of an RE2 pattern. Flags are already resolved into the nodes (case folding per character node,
 * `.`/`^`/`$` spelled for the active s/m flags, greediness after U), so emitting and analysing need no flag state.
 * `start`/`end` are offsets into the pattern, used to quote the offending part in messages.
 */

import type { CharSet } from "./charset.ts";

interface Span {
  start: number;
  end: number;
}

/** Matches exactly one character: a literal, a class, `.`, `\d`, `\pL`… */
export interface CharNode extends Span {
  kind: "char";
  /** JavaScript (v-flag) spelling. */
  js: string;
  /** What it can match, over-approximated where unknowable (`\p{…}` is treated as any character). */
  set: CharSet;
  /** Case-insensitive? `null` when case cannot matter (digits, punctuation, `.`). */
  fold: boolean | null;
}

/** Zero-width: `^`, `$`, `\A`, `\z`, `\b`, `\B`. */
export interface AssertNode extends Span {
  kind: "assert";
  js: string;
}

export interface GroupNode extends Span {
  kind: "group";
  /** Capture index (1-based), or 0 for `(?:…)` and `(?flags:…)`. */
  capture: number;
  name: string | undefined;
  body: Node;
}

export interface ConcatNode extends Span {
  kind: "concat";
  items: Node[];
}

export interface AltNode extends Span {
  kind: "alt";
  items: Node[];
}

export interface RepeatNode extends Span {
  kind: "repeat";
  sub: Node;
  min: number;
  /** `Infinity` when unbounded. */
  max: number;
  greedy: boolean;
}

export type Node = CharNode | AssertNode | GroupNode | ConcatNode | AltNode | RepeatNode;
