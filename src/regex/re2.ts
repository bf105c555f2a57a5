/**
 * User regexes (custom redaction patterns, grep filters) are written in RE2/Go syntax; this turns them into
 * JavaScript RegExps with the same meaning, rejecting what RE2 rejects. See docs/redaction.md "Regex dialect".
 *
 * @example
 * compileRe2("(?i)api[_-]?key=(?P<key>\\w+)", "g").exec("API_KEY=abc")?.groups?.key; // "abc"
 */

import { emitJs, leadingFold } from "./emit.ts";
import { parseRe2, type Re2Flags } from "./parse.ts";
import { backtrackingRisk } from "./risk.ts";

export { RegexSyntaxError } from "./syntax-error.ts";

export interface Re2Translation {
  /** JavaScript source, for `new RegExp(source, flags)`. */
  source: string;
  flags: string;
  /** Name of each capture group by index; index 0 (the whole match) and unnamed groups are `undefined`. */
  groupNames: readonly (string | undefined)[];
}

/**
 * `extraFlags` are added to the RegExp; `i`, `m` and `s` take their RE2 meaning (as a leading `(?ims)` would),
 * `g`, `y` and `d` pass through. Throws RegexSyntaxError.
 */
export function translateRe2(pattern: string, extraFlags = ""): Re2Translation {
  const initial: Re2Flags = { fold: false, multiline: false, dotAll: false, ungreedy: false };
  // v (not u): nested classes express RE2's `[\S…]`, and both make `.` and classes work on code points like RE2.
  let jsFlags = "v";
  for (const f of extraFlags) {
    if (f === "i") initial.fold = true;
    else if (f === "m") initial.multiline = true;
    else if (f === "s") initial.dotAll = true;
    else if (f !== "u" && f !== "v") jsFlags += f;
  }
  const { root, groupNames } = parseRe2(pattern, initial);
  const fold = leadingFold(root) ?? initial.fold;
  return { source: emitJs(root, fold), flags: fold ? `${jsFlags}i` : jsFlags, groupNames };
}

export function compileRe2(pattern: string, extraFlags?: string): RegExp {
  const { source, flags } = translateRe2(pattern, extraFlags);
  return new RegExp(source, flags);
}

/**
 * Why `pattern` may backtrack catastrophically in a JavaScript engine (nested quantifiers, overlapping repeated
 * alternatives), or null. Conservative: may flag a safe pattern, never meant to pass an exponential one.
 * Throws RegexSyntaxError for an invalid pattern.
 */
export function isBacktrackingRisk(pattern: string): string | null {
  const { root } = parseRe2(pattern, { fold: false, multiline: false, dotAll: false, ungreedy: false });
  return backtrackingRisk(root, pattern);
}
