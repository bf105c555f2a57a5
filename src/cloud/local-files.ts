/**
 * The files of a capture that upload sends: every regular file under the directory, recursively (upstream §19.2),
 * as `/`-separated relative paths in byte order. Symbolic links are not followed: what they point at is not part of
 * the capture, and following them could send any file the user can read.
 */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareBytewise } from "../archive/byte-order.ts";

export interface LocalFile {
  rel: string;
  path: string;
  size: number;
}

export function listCaptureFiles(dir: string): LocalFile[] {
  const out: LocalFile[] = [];
  const walk = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path, r);
      else if (e.isFile()) out.push({ rel: r, path, size: lstatSync(path).size });
    }
  };
  walk(dir, "");
  return out.sort((a, b) => compareBytewise(a.rel, b.rel));
}
