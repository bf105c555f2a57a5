/**
 * The directories and files download writes under --out, none reached through a symbolic link: every path
 * component below --out is checked with lstat before use (a planted link is refused, never followed), missing
 * directories are created 0700, and files are written to a temporary name (O_EXCL|O_NOFOLLOW, 0600) and renamed
 * into place. Modes come from the capture format, never from the object's metadata.
 */

import { lstatSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CliError, EXIT } from "../common/errors.ts";
import { DIR_MODE } from "../capture/file-modes.ts";
import { fsErrorText, isNotFound } from "../archive/fs-error-text.ts";

function refuse(path: string, why: string): never {
  throw new CliError(`refusing to write ${path}: ${why}`, EXIT.internal);
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw new Error(fsErrorText("lstat", path, e));
  }
}

/** Checks, creating nothing, that no existing component of `parts` below `out` is a symlink or in the way. */
export function checkPathUnder(out: string, parts: readonly string[]): void {
  let at = out;
  for (const [i, p] of parts.entries()) {
    at = join(at, p);
    const st = lstatOrNull(at);
    if (st === null) return;
    if (st.isSymbolicLink()) refuse(at, "a symbolic link is in the way");
    if (i < parts.length - 1 ? !st.isDirectory() : !st.isFile()) refuse(at, i < parts.length - 1 ? "not a directory" : "not a regular file");
  }
}

/** Creates or checks each directory of `dirs` below `out`; returns the directory the file goes into. */
export function ensureDirsUnder(out: string, dirs: readonly string[]): string {
  let at = out;
  for (const d of dirs) {
    at = join(at, d);
    const st = lstatOrNull(at);
    if (st === null) {
      try {
        mkdirSync(at, { mode: DIR_MODE });
      } catch (e) {
        // Another download of the same run made it first.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`create ${fsErrorText("mkdir", at, e).replace(/^mkdir /, "")}`);
      }
      const again = lstatSync(at);
      if (!again.isDirectory()) refuse(at, again.isSymbolicLink() ? "a symbolic link is in the way" : "not a directory");
    } else if (st.isSymbolicLink()) refuse(at, "a symbolic link is in the way");
    else if (!st.isDirectory()) refuse(at, "not a directory");
  }
  return at;
}

/** The size of the file already at `path` (null when there is none); anything but a regular file is refused. */
export function existingFileSize(path: string): number | null {
  const st = lstatOrNull(path);
  if (st === null) return null;
  if (st.isSymbolicLink()) refuse(path, "a symbolic link is in the way");
  if (!st.isFile()) refuse(path, "not a regular file");
  return st.size;
}
