/** Captures for the upload/download tests: a real one from logtap's writer, plus a nested file big enough for multipart. */

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { noise } from "../support/noise.ts";
import type { Entry } from "../../src/model/entry.ts";

export const BIG_FILE = "extra/blob.bin";
export const BIG_SIZE = 17 * 1024 * 1024 + 12345; // three 8 MiB parts, the last one short

function entries(n: number): Entry[] {
  const apps = [Object.freeze({ app: "api" }), Object.freeze({ app: "web" })];
  return Array.from({ length: n }, (_, i) => ({ sec: 1736935200 + i, nsec: 0, labels: apps[i % 2]!, msg: i % 7 === 0 ? `error: timeout talking to db (${i})` : `ok ${i}` }));
}

export async function makeCloudCapture(dir: string, opts: { redacted?: boolean; big?: boolean } = {}): Promise<string> {
  await writeOurCapture(dir, entries(4000), {
    maxFileBytes: 48 * 1024,
    metadata: opts.redacted ? { redaction: { enabled: true, patterns: ["email"] } } : {},
  });
  if (opts.big) {
    mkdirSync(join(dir, "extra"), { recursive: true });
    writeFileSync(join(dir, BIG_FILE), noise(BIG_SIZE));
  }
  return dir;
}

/** Relative path → SHA-256 of every regular file under `dir`. */
export function treeDigests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const p = join(dir, f);
    if (statSync(p).isFile()) out[relative(dir, p)] = new Bun.CryptoHasher("sha256").update(readFileSync(p)).digest("hex");
  }
  return out;
}
