/**
 * phone: upstream's `(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b`, with `\s` spelled as RE2's ASCII
 * `[\t\n\f\r ]` (JavaScript's `\s` would also take Unicode spaces). Bounded — at most 19 characters per attempt —
 * so linear for a backtracking engine. Unlike upstream it needs a boundary at the start too: upstream redacted the
 * last ten digits of any longer hex or digit run (`trace_id=abcdef0123456789`, millisecond timestamps), which in
 * real logs are ids and times, not phone numbers.
 */

import { replaceCounted } from "./replace.ts";
import type { Rule } from "./rule.ts";

const SEP = "[\\t\\n\\f\\r .-]";
const PHONE = new RegExp(`(?<![A-Za-z0-9_])(?:\\+\\d{1,3}${SEP}?)?\\(?\\d{3}\\)?${SEP}?\\d{3}${SEP}?\\d{4}\\b`, "g");

export const phoneRule: Rule = {
  name: "phone",
  apply: (msg, hits) => replaceCounted(msg, PHONE, "[REDACTED:phone]", hits),
};
