/**
 * ip_v4: upstream's regex, used as is. It has no unbounded repetition — an attempt reads at most 15 characters
 * over a fixed set of alternatives — so a backtracking engine runs it in linear time.
 */

import { replaceCounted } from "./replace.ts";
import type { Rule } from "./rule.ts";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const IP_V4 = new RegExp(`\\b(?:${OCTET}\\.){3}${OCTET}\\b`, "g");

export const ipV4Rule: Rule = {
  name: "ip_v4",
  apply: (msg, hits) => (msg.includes(".") ? replaceCounted(msg, IP_V4, "[REDACTED:ip]", hits) : msg),
};
