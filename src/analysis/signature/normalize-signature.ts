/**
 * Error signature normalisation (upstream §11.3): variable parts of a message are replaced by placeholders so that
 * occurrences of the same error group together. The six rules run in this order, each globally, and later rules
 * see the placeholders of earlier ones (`10.0.1.42:8080` → `<IP>:8080` → `<IP>:<N>`). The result is idempotent.
 */

export interface SignatureRule {
  placeholder: string;
  /** Upstream's pattern, valid as RE2 and as JS, so it can also go into a suggested `--grep`. */
  source: string;
  /** A substring every match contains: most messages skip most rules without running the regex. */
  needs: string;
}

// Go's \b and \d are ASCII-only; so are JS's without the `u` flag, which is why no rule is compiled with `u`.
export const SIGNATURE_RULES: readonly SignatureRule[] = Object.freeze([
  { placeholder: "<UUID>", source: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", needs: "-" },
  // A numeric offset such as +01:00 is deliberately left alone (upstream).
  { placeholder: "<TS>", source: "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[.\\d]*Z?", needs: ":" },
  { placeholder: "<IP>", source: "\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b", needs: "." },
  { placeholder: "<HEX>", source: "0x[0-9a-fA-F]+", needs: "0x" },
  { placeholder: "<DUR>", source: "\\b\\d+\\.?\\d*(?:ms|us|µs|ns|s|m|h)\\b", needs: "" },
  // Four or more digits only, so HTTP status codes (200, 503) survive.
  { placeholder: "<N>", source: "\\b\\d{4,}\\b", needs: "" },
]);

const COMPILED = SIGNATURE_RULES.map((r) => ({ ...r, re: new RegExp(r.source, "g") }));
const HAS_DIGIT = /\d/;

/**
 * The signature of an error message.
 * @example normalizeSignature("connection refused to 10.0.1.42:8080") // "connection refused to <IP>:<N>"
 */
export function normalizeSignature(msg: string): string {
  // Every rule but UUID needs a digit, and a UUID without one (all a–f) still needs its dashes.
  if (!HAS_DIGIT.test(msg) && msg.indexOf("-") < 0) return msg;
  let s = msg;
  for (const r of COMPILED) {
    if (r.needs !== "" && s.indexOf(r.needs) < 0) continue;
    s = s.replace(r.re, r.placeholder);
  }
  return s;
}
