/** Reads a capture back the independent way: the zstd command-line tool, not our own reader. */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDataFileName } from "../../src/capture/data-files.ts";

export function dataFiles(dir: string): string[] {
  return readdirSync(dir).filter(isDataFileName).sort();
}

/** Every line of every data file, decoded by `zstd -dc` for .zst files. */
export function linesViaZstdCli(dir: string): string[] {
  const lines: string[] = [];
  for (const f of dataFiles(dir)) {
    const path = join(dir, f);
    let text: string;
    if (f.endsWith(".zst")) {
      const r = Bun.spawnSync(["zstd", "-dc", path]);
      if (r.exitCode !== 0) throw new Error(`zstd -dc ${f} failed: ${r.stderr.toString()}`);
      text = r.stdout.toString();
    } else text = readFileSync(path, "utf8");
    for (const l of text.split("\n")) if (l !== "") lines.push(l);
  }
  return lines;
}

export function entriesViaZstdCli(dir: string): Array<{ ts: string; labels?: Record<string, string>; msg: string; meta?: Record<string, string> }> {
  return linesViaZstdCli(dir).map((l) => JSON.parse(l));
}
