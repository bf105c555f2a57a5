/**
 * Where a downloaded object may go (upstream §19.3, stricter): the key minus the prefix and one `/` must be a
 * relative path of plain segments. Rejected: `..` and `.` segments, empty segments (`a//b`, a leading `/`, a
 * trailing `/`), backslashes (a separator on Windows), NUL and other control characters, and drive letters — so
 * `prefix/../../../etc/passwd`, `prefix//etc/shadow` and `prefix/a\..\..\x` never name a path outside --out.
 */

import { CliError, EXIT } from "../common/errors.ts";

export class UnsafeKeyError extends CliError {
  constructor(key: string) {
    super(`unsafe object key: ${JSON.stringify(key).slice(1, -1)}`, EXIT.internal);
  }
}

/** A zero-byte `prefix/dir/` object is how consoles show folders; it holds no file. */
export function isFolderMarker(key: string, size: number): boolean {
  return key.endsWith("/") && size === 0;
}

/** The `/`-separated path under --out, as segments. */
export function safeRelativePath(key: string, listPrefixText: string): string[] {
  if (!key.startsWith(listPrefixText)) throw new UnsafeKeyError(key);
  const rel = key.slice(listPrefixText.length);
  if (rel === "" || /[\\\x00-\x1f\x7f]/.test(rel) || /^[A-Za-z]:/.test(rel)) throw new UnsafeKeyError(key);
  const parts = rel.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) throw new UnsafeKeyError(key);
  return parts;
}
