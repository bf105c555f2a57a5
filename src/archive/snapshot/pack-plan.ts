/**
 * What a snapshot contains: every directory and regular file under the capture, relative to it, depth first in
 * byte order of names (as upstream walks). Symlinks, sockets, FIFOs and devices are left out — extraction would
 * refuse them anyway — and reported so the user knows.
 */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareBytewise } from "../byte-order.ts";
import type { TarSourceItem } from "../tar/tar-writer.ts";

export interface PackPlan {
  items: TarSourceItem[];
  /** Sum of file sizes when planned, for progress. */
  totalBytes: number;
  /** Archive paths that were left out, with why. */
  skipped: string[];
}

/** `exclude` holds `dev:ino` of files that must not be packed: the archive being written into the capture itself. */
export function planPack(src: string, exclude: ReadonlySet<string>): PackPlan {
  const plan: PackPlan = { items: [], totalBytes: 0, skipped: [] };
  const walk = (dir: string, rel: string) => {
    const names = readdirSync(dir).sort(compareBytewise);
    for (const name of names) {
      const path = join(dir, name);
      const archivePath = rel === "" ? name : `${rel}/${name}`;
      const st = lstatSync(path);
      if (exclude.has(`${st.dev}:${st.ino}`)) continue;
      const mtime = Math.floor(st.mtimeMs / 1000);
      if (st.isDirectory()) {
        plan.items.push({ path: archivePath, kind: "directory", source: path, mode: st.mode, mtime });
        walk(path, archivePath);
      } else if (st.isFile()) {
        plan.items.push({ path: archivePath, kind: "file", source: path, mode: st.mode, mtime });
        plan.totalBytes += st.size;
      } else {
        plan.skipped.push(`${archivePath} (${st.isSymbolicLink() ? "symbolic link" : "not a regular file"})`);
      }
    }
  };
  walk(src, "");
  return plan;
}
