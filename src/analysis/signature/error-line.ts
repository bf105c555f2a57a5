/**
 * Error-line detection (upstream §11.2): a case-insensitive substring test of the message against a fixed keyword
 * list, so `failed`, `NullPointerException` and `5xx server error` all count. Labels are never examined.
 * Shared by triage, diff baselines and merge --clock-correct, so every command agrees on what an error is.
 */

/** The upstream keywords, in its order. */
export const ERROR_KEYWORDS: readonly string[] = Object.freeze([
  "error",
  "panic",
  "fatal",
  "exception",
  "fail",
  "refused",
  "timeout",
  "oomkilled",
  "crashloopbackoff",
  "segfault",
  "x509",
  "deadline exceeded",
]);

// One regex instead of `toLowerCase()` + twelve `includes`: no per-line allocation on the scan hot path.
const KEYWORDS = new RegExp(ERROR_KEYWORDS.join("|"), "i");
/**
 * The keywords as a global regex over many lines' text (a fresh object: callers own lastIndex). Triage finds them with
 * the SIMD literal scanner instead (src/scan); the benchmark captures' generator and the keyword benchmark use this.
 */
export function errorKeywordScanner(): RegExp {
  return new RegExp(ERROR_KEYWORDS.join("|"), "gi");
}
// Go's strings.ToLower maps these two to ASCII (İ → i, KELVIN SIGN → k); a JS /i regex does not fold them.
const FOLDS_TO_ASCII = /[\u0130\u212A]/;
/** The characters above, which a byte-level scan must leave to isErrorLine. */
export const FOLDING_CHARS: readonly string[] = ["\u0130", "\u212A"];

/**
 * Whether a message is an error line.
 * @example isErrorLine("GET /x 503 upstream connect failed") // true
 */
export function isErrorLine(msg: string): boolean {
  if (KEYWORDS.test(msg)) return true;
  return FOLDS_TO_ASCII.test(msg) && KEYWORDS.test(msg.replace(/\u0130/g, "i").replace(/\u212A/g, "k"));
}
