/**
 * Patterns that are nothing but literals: `deadline exceeded`, `error|timeout`, `(?i)error|timeout`. Such a pattern
 * matches a text exactly when the text contains one of them (with a leading `(?i)`, ASCII-case-insensitively, plus
 * the two non-ASCII partners of src/regex/ascii-fold.ts), which is what lets a reader decide a match from stored bytes
 * (src/capture/reader/stored-line-judge.ts) instead of running the regex on a parsed line.
 */

// Printable ASCII without regex syntax and without the characters JSON or Go's HTML escaping rewrite in storage.
const PLAIN = /^[^\\^$.|?*+()[\]{}"<>&\x00-\x1f\x7f-\uffff]{2,}$/;

export interface PlainLiterals {
  literals: string[];
  /** Case-insensitive (a leading `(?i)`): the literals are lower case. */
  fold: boolean;
}

/** The literals, or null when the pattern is anything more than literals joined by `|` (at most 4, each ≥ 2 chars). */
export function plainLiterals(pattern: string): PlainLiterals | null {
  const fold = pattern.startsWith("(?i)");
  const parts = (fold ? pattern.slice(4) : pattern).split("|");
  if (parts.length > 4 || !parts.every((p) => PLAIN.test(p))) return null;
  return { literals: [...new Set(fold ? parts.map((p) => p.toLowerCase()) : parts)], fold };
}
