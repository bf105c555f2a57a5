/** Builds capture directories for tests: ours (through the real writer) and the upstream Go tool's layout. */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { newMetadata, writeMetadata, type Metadata } from "../../src/capture/metadata.ts";
import { ZERO_TIME_TEXT } from "../../src/capture/timestamp.ts";

/** A capture written by logtap's own writer (frames, frame index), with finished metadata. */
export async function writeOurCapture(
  dir: string,
  entries: Entry[],
  opts: { maxFileBytes?: number; frameBytes?: number; compress?: boolean; metadata?: Partial<Metadata> } = {},
): Promise<void> {
  const w = new CaptureWriter({ dir, maxFileBytes: opts.maxFileBytes ?? 1 << 30, maxDiskBytes: 0, compress: opts.compress ?? true, frameBytes: opts.frameBytes });
  for (let i = 0; i < entries.length; i += 500) await w.write(encodeJsonlBatch({ entries: entries.slice(i, i + 500) }));
  const totals = await w.close();
  writeMetadata(dir, {
    ...newMetadata("2025-01-15T10:00:00Z"),
    stopped: "2025-01-15T11:00:00Z",
    total_lines: totals.lines,
    total_bytes: totals.bytes,
    labels_seen: totals.labelKeys,
    ...opts.metadata,
  });
}

export function upstreamLine(ts: string, labels: Record<string, string> | null, msg: string): string {
  return JSON.stringify(labels ? { ts, labels, msg } : { ts, msg }) + "\n";
}

/**
 * The upstream tool's layout: closed files compressed as ONE zstd frame by another encoder (the zstd CLI) and
 * indexed without frame records, a plain active `.jsonl` file, an audit trail, and a live (zero) `stopped`.
 */
export function writeUpstreamCapture(dir: string, closed: Record<string, string[]>, active: { name: string; lines: string[] } | null): void {
  mkdirSync(dir, { recursive: true });
  let index = "";
  for (const [name, lines] of Object.entries(closed)) {
    const text = lines.join("");
    const zst = Bun.spawnSync(["zstd", "-q", "-c"], { stdin: Buffer.from(text) }).stdout;
    writeFileSync(join(dir, name), zst);
    const parsed = lines.map((l) => JSON.parse(l));
    const counts: Record<string, Record<string, number>> = {};
    for (const p of parsed) for (const [k, v] of Object.entries(p.labels ?? {})) ((counts[k] ??= {})[v as string] = (counts[k]?.[v as string] ?? 0) + 1);
    index += JSON.stringify({ file: name, from: parsed[0].ts, to: parsed.at(-1).ts, lines: lines.length, bytes: Buffer.byteLength(text), labels: counts }) + "\n";
  }
  writeFileSync(join(dir, "index.jsonl"), index);
  if (active) writeFileSync(join(dir, active.name), active.lines.join(""));
  writeFileSync(join(dir, "audit.jsonl"), '{"timestamp":"2024-01-15T10:32:01.1235+01:00","event":"server_started"}\n');
  writeFileSync(
    join(dir, "metadata.json"),
    JSON.stringify({ version: 1, format: "jsonl", started: "2024-01-15T10:32:01.123456789+01:00", stopped: ZERO_TIME_TEXT, total_lines: 0, total_bytes: 0, labels_seen: null }, null, 2),
  );
}
