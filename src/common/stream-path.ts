/**
 * Output paths that are streams rather than files: `/dev/stdout`, `/dev/null`, a named pipe, a terminal. Commands
 * that write a file under a temporary name and rename it into place write into these directly instead — the rename
 * would replace the device node itself (as root, `export --out /dev/full` turned /dev/full into a CSV file and
 * reported success).
 */

import { statSync } from "node:fs";

/** Whether `path` exists (links followed) and is neither a regular file nor a directory. */
export function isStreamPath(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}
