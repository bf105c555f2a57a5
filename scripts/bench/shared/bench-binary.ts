/** The binary a benchmark times: a private copy, because dist/logtap may be rebuilt by someone else mid-run. */

import { chmodSync, copyFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** Copies `binary` (relative to `root`) into `out` as `name` and returns the copy's path. */
export function copyBinary(root: string, binary: string, out: string, name = "logtap"): string {
  const src = resolve(root, binary);
  if (!existsSync(src)) throw new Error(`${src} not found: node_modules/.bin/bun scripts/build.ts`);
  const bin = join(out, name);
  copyFileSync(src, bin);
  chmodSync(bin, 0o755);
  return bin;
}
