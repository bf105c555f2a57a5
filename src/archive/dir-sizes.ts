/** Everything under a directory, as gc sizes a capture. */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

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
