/**
 * Error signatures (upstream §11.3): variable parts of a message replaced by placeholders, so lines that differ only
 * in ids, times, addresses and numbers count as one error. The steps run in the given order, each over the whole
 * text; later steps see the placeholders of earlier ones (`10.0.1.42:8080` → `<IP>:8080` → `<IP>:<N>`).
 */

interface Step {
  placeholder: string;
  /** RE2 syntax as well as JS, so the same source can go into a suggested `--grep`. */
  source: string;
  /** A character every match contains: most messages skip most steps without running the regex. */
  needs: string;
}

const STEPS: readonly Step[] = [
  { placeholder: "<UUID>", source: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", needs: "-" },
  // Only `Z` is consumed, not a numeric offset like `+01:00` (upstream's rule).
  { placeholder: "<TS>", source: "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[.\\d]*Z?", needs: ":" },
  { placeholder: "<IP>", source: "\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b", needs: "." },
  { placeholder: "<HEX>", source: "0x[0-9a-fA-F]+", needs: "0x" },
  { placeholder: "<DUR>", source: "\\b\\d+(?:\\.\\d+)?(?:ms|us|µs|ns|s|m|h)\\b", needs: "" },
  // Four digits or more: HTTP statuses such as 200 or 503 stay part of the signature.
  { placeholder: "<N>", source: "\\b\\d{4,}\\b", needs: "" },
];

const COMPILED = STEPS.map((s) => ({ ...s, re: new RegExp(s.source, "g") }));
const HAS_DIGIT = /\d/;

/** The signature of an error message. Idempotent: a signature normalises to itself. */
export function normalizeSignature(msg: string): string {
  // Every step but UUID needs a digit; a UUID without one (all a–f) still needs four dashes.
  if (!HAS_DIGIT.test(msg) && msg.indexOf("-") < 0) return msg;
  let s = msg;
  for (const step of COMPILED) {
    if (step.needs !== "" && s.indexOf(step.needs) < 0) continue;
    s = s.replace(step.re, step.placeholder);
  }
  return s;
}

const PLACEHOLDER = new RegExp(`(${STEPS.map((s) => s.placeholder).join("|")})`);
const SOURCE_OF = new Map(STEPS.map((s) => [s.placeholder, s.source]));
const REGEX_META = /[\\^$.|?*+()[\]{}]/g;
/** Characters a capture line stores escaped (Go JSON): a raw-line regex cannot match them literally. */
const JSON_ESCAPED = /["\\<>&\u0000-\u001f\u2028\u2029]/;

export interface SignatureRegexOptions {
  /** Stop after this many characters of the signature (whole placeholders only). */
  maxChars?: number;
  /** For regexes matched against stored JSON lines (`slice --grep`): end before the first character JSON escapes. */
  rawLine?: boolean;
}

/**
 * An RE2 pattern that finds the lines behind a signature: its literal text escaped, each placeholder replaced by the
 * pattern that produced it. Upstream suggested the signature itself, which never matches (`<N>` is not in any line).
 */
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
