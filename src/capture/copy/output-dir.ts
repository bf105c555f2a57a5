/**
 * Where the copying commands (slice, merge) may write: a new or empty directory that is neither one of the source
 * captures nor inside one. Paths are compared after resolving symlinks and `..` the way the kernel does, so
 * `./cap/../cap` or a symlink to the source cannot slip past a string comparison (upstream compared strings).
 */

import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../common/errors.ts";
import { isInside, realPathOf } from "../../common/real-path.ts";

export interface OutputDir {
  path: string;
  /** The directory existed (empty) before the command; a failed run empties it again instead of removing it. */
  existed: boolean;
}

/** Throws a usage error unless `out` can receive a new capture copied from `sources`. */
export function checkOutputDir(out: string, sources: readonly string[]): OutputDir {
  if (out.trim() === "") throw new UsageError("output directory must not be empty");
  const real = realPathOf(out);
  for (const src of sources) {
    const srcReal = realPathOf(src);
    if (real === srcReal) throw new UsageError(`output directory cannot be the same as capture directory (${src})`);
    if (isInside(real, srcReal)) throw new UsageError(`output directory cannot be inside capture directory ${src}`);
  }
  let st;
  try {
    st = statSync(out);
  } catch {
    return { path: out, existed: false };
  }
  if (!st.isDirectory()) throw new UsageError(`output ${out} exists and is not a directory`);
  if (readdirSync(out).length > 0) throw new UsageError(`output directory ${out} already exists and is not empty`);
  return { path: out, existed: true };
}

/** Sources that are one directory under two names would be copied twice: every line of it doubled. */
export function checkDistinctSources(sources: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const src of sources) {
    const real = realPathOf(src);
    const first = seen.get(real);
    if (first !== undefined) throw new UsageError(first === src ? `capture directory ${src} is given twice` : `capture directories ${first} and ${src} are the same directory`);
    seen.set(real, src);
  }
}

/** Removes what a failed or empty run wrote: the directory it created, or the contents of the one it was given. */
export function discardOutput(o: OutputDir): void {
  if (!existsSync(o.path)) return;
  if (!o.existed) {
    rmSync(o.path, { recursive: true, force: true });
    return;
  }
  for (const name of readdirSync(o.path)) rmSync(join(o.path, name), { recursive: true, force: true });
}
