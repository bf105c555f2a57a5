/** ssn: upstream's `\b\d{3}-\d{2}-\d{4}\b` — fixed length, so linear for any engine. */

import { replaceCounted } from "./replace.ts";
import type { Rule } from "./rule.ts";

const SSN = /\b\d{3}-\d{2}-\d{4}\b/g;

export const ssnRule: Rule = {
  name: "ssn",
  apply: (msg, hits) => (msg.includes("-") ? replaceCounted(msg, SSN, "[REDACTED:ssn]", hits) : msg),
};
