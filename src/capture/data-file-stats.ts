/** How many data files a capture holds and their size on disk (inspect, catalog, slice and merge summaries). */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isDataFileName } from "./data-files.ts";

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
