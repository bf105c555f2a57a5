/** Captures built for the diff tests: lines as [second offset, app, message]. */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readIndex } from "../../src/capture/index-file.ts";
import type { Entry } from "../../src/model/entry.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import type { Metadata } from "../../src/capture/metadata.ts";

export const BASE = 1_736_935_200; // 2025-01-15T10:00:00Z

export type Line = [sec: number, app: string, msg: string];

export function lines(n: number, app: string, msg: (i: number) => string, startSec = 0): Line[] {
  return Array.from({ length: n }, (_, i) => [startSec + i, app, msg(i)] as Line);
}

/** `errors` error lines with `msg`, padded with `info` lines to `total`. */
export function mix(total: number, errors: [number, string][], app = "api"): Line[] {
  const out: Line[] = [];
  for (const [n, msg] of errors) for (let i = 0; i < n; i++) out.push([out.length, app, msg]);
  while (out.length < total) out.push([out.length, app, `request ${out.length} ok`]);
  return out;
}

export async function capture(root: string, name: string, list: Line[], metadata?: Partial<Metadata>, extraLabels: Record<string, string> = {}): Promise<string> {
  const dir = join(root, name);
  const labelsByApp = new Map<string, Readonly<Record<string, string>>>();
  const entries: Entry[] = list.map(([sec, app, msg]) => {
    let labels = labelsByApp.get(app);
    if (!labels) labelsByApp.set(app, (labels = Object.freeze({ app, ...extraLabels })));
    return { sec: BASE + sec, nsec: 0, labels, msg };
  });
  await writeOurCapture(dir, entries, { metadata });
  return dir;
}

/** 300 lines in small frames with the third frame overwritten by garbage (a corrupt frame, not a torn tail). */
export async function corruptedCapture(root: string): Promise<{ dir: string; total: number; lost: number }> {
  const dir = join(root, "corrupt");
  const entries: Entry[] = Array.from({ length: 300 }, (_, i) => ({ sec: BASE + i, nsec: 0, labels: Object.freeze({ app: "api" }), msg: `line ${i}` }));
  await writeOurCapture(dir, entries, { frameBytes: 2048 });
  const [idx] = readIndex(dir);
  const path = join(dir, idx!.file);
  const bytes = new Uint8Array(readFileSync(path));
  const victim = idx!.frames![2]!;
  for (let i = victim.offset + 8; i < victim.offset + 40; i++) bytes[i] = bytes[i]! ^ 0x5a;
  writeFileSync(path, bytes);
  return { dir, total: entries.length, lost: victim.lines };
}
