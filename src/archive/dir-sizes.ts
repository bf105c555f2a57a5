/** Sizes the archive commands report: a capture's data files (catalog) and everything under a directory (gc). */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isDataFileName } from "../capture/data-files.ts";

/** Count and on-disk size of the data files directly in `dir`; audit.jsonl and manifest.sha256 are not data. */
export function dataFileStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { files, bytes };
  }
  for (const e of entries) {
    if (!e.isFile() || !isDataFileName(e.name)) continue;
    try {
      bytes += lstatSync(join(dir, e.name)).size;
      files++;
    } catch {
      // Rotated or deleted by a running receiver since the listing: it is simply not there any more.
    }
  }
  return { files, bytes };
}

/** Sum of the sizes of every non-directory entry below `dir`; symlinks count as themselves and are not followed. */
export function treeSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += treeSize(path);
    else total += lstatSync(path).size;
  }
  return total;
}
