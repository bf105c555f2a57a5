/**
 * A pattern that finds the lines behind an error signature, for the commands triage and report suggest: the
 * signature's text regex-escaped, each placeholder replaced by the rule that produced it — upstream's (a normalised
 * message) or the pattern miner's (a template). Upstream suggested the signature itself, which never matches (`<N>`
 * is in no line).
 */

import { SIGNATURE_RULES } from "../signature/normalize-signature.ts";
import { PLACEHOLDER_SOURCES } from "../patterns/mask-rules.ts";

const SOURCE_OF = new Map([...SIGNATURE_RULES.map((r): [string, string] => [r.placeholder, r.source]), ...PLACEHOLDER_SOURCES]);
const PLACEHOLDER = new RegExp(`(${[...SOURCE_OF.keys()].map((p) => p.replace("*", "\\*")).join("|")})`);
const REGEX_META = /[\\^$.|?*+()[\]{}]/g;
/** Characters a capture line stores escaped (Go JSON): a raw-line regex cannot match them literally. */
const JSON_ESCAPED = /["\\<>&\u0000-\u001f\u2028\u2029]/;

export interface SignatureRegexOptions {
  /** Stop after this many characters of the signature (whole placeholders only). */
  maxChars?: number;
  /** For regexes matched against stored JSON lines (`slice --grep`): end before the first character JSON escapes. */
  rawLine?: boolean;
}

/** RE2 syntax (valid JS too). */
export function signatureRegex(signature: string, opts: SignatureRegexOptions = {}): string {
  const max = opts.maxChars ?? Infinity;
  let used = 0;
  let out = "";
  for (const part of signature.split(PLACEHOLDER)) {
    if (part === "" || used >= max) continue;
    const source = SOURCE_OF.get(part);
    if (source !== undefined) {
      out += source;
      used += part.length;
      continue;
    }
    let text = [...part].slice(0, max - used).join("");
    const cut = opts.rawLine ? text.search(JSON_ESCAPED) : -1;
    if (cut >= 0) text = text.slice(0, cut);
    out += text.replace(REGEX_META, "\\$&");
    used += cut >= 0 ? max : text.length;
  }
  return out;
}
