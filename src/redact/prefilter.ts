/**
 * Speed-up for `--redact`: a cheap native-regex *necessary condition* in front of the three built-ins
 * that cost most on real log lines. A message failing the test cannot contain a match, so the rule is skipped;
 * otherwise the rule runs unchanged. Output is identical by construction (tests/redact/upstream-equivalence.test.ts runs every rule through it).
 *
 * - credit_card: a candidate is 13+ digits with only spaces/hyphens between them, so the text from its first to
 *   its 13th digit is ≥ 13 characters of `[0-9 -]`: it contains 13 such characters in a row.
 * - ip_v4: a match contains "<digit>.<1–3 digits>.<1–3 digits>.<digit>" (end of the first octet to the start of
 *   the last).
 * - bearer: both alternatives contain "bearer" (ASCII, any case); a non-Unicode /i regex never folds a non-ASCII
 *   character onto an ASCII one, exactly like the scanner's `(c | 0x20) === want`.
 */

import type { Rule } from "./rule.ts";

export const PREFILTERS: Readonly<Record<string, RegExp>> = {
  credit_card: /[0-9 -]{13}/,
  ip_v4: /[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]/,
  bearer: /bearer/i,
};

export function withPrefilter(rule: Rule): Rule {
  const re = PREFILTERS[rule.name];
  if (re === undefined) return rule;
  return { name: rule.name, apply: (msg, hits) => (re.test(msg) ? rule.apply(msg, hits) : msg) };
}
