/** Where paths really lead, for commands that must not write into what they read. */

import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";

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

/** Whether real path `child` is `parent` or inside it (a sibling named `..x` is not). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + sep) && !isAbsolute(rel));
}
