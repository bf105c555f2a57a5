/**
 * Where a worker entry point lives: next to its module when running from sources; in the compiled binary, under
 * `/$bunfs/root/`, laid out relative to the common folder of the build's entry points (scripts/build.ts lists every
 * worker there, or it is not bundled). A chunk's `import.meta.url` does not sit next to the worker there, so look.
 */

import { existsSync } from "node:fs";

export class MissingWorkerError extends Error {}

/** `srcPath` is the worker's path under src/ without extension, e.g. `analysis/triage/scan-worker`. */
export function bundledWorkerUrl(srcPath: string): URL {
  if (!import.meta.url.includes("/$bunfs/")) return new URL(`../${srcPath}.ts`, import.meta.url);
  for (const p of [`/$bunfs/root/${srcPath}.js`, `/$bunfs/root/src/${srcPath}.js`]) {
    if (existsSync(p)) return new URL(`file://${p}`);
  }
  throw new MissingWorkerError(`this build does not contain ${srcPath} (scripts/build.ts entry points)`);
}
