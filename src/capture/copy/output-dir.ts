/**
 * Where the copying commands (slice, merge) may write: a new or empty directory that is neither one of the source
 * captures nor inside one. Paths are compared after resolving symlinks and `..` the way the kernel does, so
 * `./cap/../cap` or a symlink to the source cannot slip past a string comparison (upstream compared strings).
 */

import { existsSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { UsageError } from "../../common/errors.ts";

/**
 * The real path `p` names (or would name once created): existing prefixes are resolved with realpath one segment at
 * a time, so a `..` after a symlink goes to the link target's parent as it does for the kernel.
 */
export function realPathOf(p: string): string {
  let current = realpathSync(isAbsolute(p) ? sep : process.cwd());
  let exists = true;
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, seg);
    if (exists && existsSync(next)) current = realpathSync(next);
    else {
      exists = false;
      current = next;
    }
  }
  return current;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

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
