/**
 * A pattern's id: the first 12 hex digits of the SHA-256 of its text, so the same template has the same id in
 * `patterns --json`, in `export --with-pattern` and in another capture. 48 bits: a collision among 10,000
 * templates has odds of about 1 in 5 million.
 */

import { createHash } from "node:crypto";

export function patternId(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
