/**
 * A copy of the sources to build a release from: the files git lists (tracked, and new ones not ignored) as they
 * are now, with node_modules linked. Every target is then built from one tree while teammates go on editing the
 * checkout, and the bytes do not depend on the folder (two snapshots build identical binaries).
 */

import { copyFileSync, existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";

export function snapshotSources(root: string, dest: string): void {
  const ls = Bun.spawnSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, stderr: "pipe" });
  if (ls.exitCode !== 0) throw new Error(`git ls-files failed: ${ls.stderr.toString().trim()}`);
  for (const path of ls.stdout.toString().split("\0")) {
    const from = join(root, path);
    // A tracked file deleted in the working tree is listed but gone; a submodule or link is no source.
    if (path === "" || !existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    copyFileSync(from, join(dest, path));
  }
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"));
}
