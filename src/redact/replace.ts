import type { HitCount } from "./rule.ts";

/** `msg.replace` with a global RegExp, counting one hit when the message changed. */
export function replaceCounted(msg: string, re: RegExp, replacement: string, hits: HitCount): string {
  const out = msg.replace(re, replacement);
  if (out !== msg) hits.count = 1;
  return out;
}
