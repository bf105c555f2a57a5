/** A benchmark's set-up step (a build, a compile) run in the repository root: quiet, and its output shown only when it fails. */

import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");

export function runStep(argv: string[], what: string): void {
  const p = Bun.spawnSync(argv, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${what} failed:\n${p.stderr.toString()}${p.stdout.toString()}`);
}
