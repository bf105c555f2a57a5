/**
 * What "case-insensitive" means for an ASCII literal in logtap's regexes. RE2's `(?i)` and JavaScript's `i` with the
 * `v` flag (how src/regex/re2.ts compiles every pattern) fold by Unicode simple case folding, under which exactly two
 * non-ASCII characters match an ASCII letter: U+212A KELVIN SIGN (k, K) and U+017F LATIN SMALL LETTER LONG S (s, S).
 * Every other ASCII character matches only itself and its ASCII other case. Byte-level searches (prefilters, the
 * stored-line judge) compare ASCII case-insensitively and must treat these two as possible matches.
 */

const PARTNERS: Readonly<Record<string, string>> = { k: "\u212a", s: "\u017f" };

/** The non-ASCII characters that case-insensitively match a letter of one of these literals. */
export function nonAsciiFoldPartners(literals: readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of literals) for (const c of l.toLowerCase()) if (PARTNERS[c] !== undefined) out.add(PARTNERS[c]);
  return [...out];
}

