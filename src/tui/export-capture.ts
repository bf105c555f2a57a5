/**
 * The `w` key: writes the log pane's filtered lines as a new capture directory (upstream §2.12, "TUI w export").
 * Our writer makes `export-000.jsonl.zst` (zstd frames, indexed with labels) where upstream wrote an uncompressed
 * `export-000.jsonl`; every reader reads both. metadata.json: started/stopped = earliest/latest timestamp, totals,
 * `labels_seen` the sorted label keys (upstream left it null).
 */

import { existsSync, readdirSync } from "node:fs";
import type { Entry } from "../model/entry.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { CaptureWriter } from "../capture/writer/capture-writer.ts";
import { newMetadata, writeMetadata } from "../capture/metadata.ts";
import { formatInstant } from "../capture/timestamp.ts";

export interface ExportResult {
  lines: number;
  bytes: number;
}

const BATCH = 1000;

export async function exportCapture(dir: string, entries: readonly Entry[]): Promise<ExportResult> {
  if (entries.length === 0) throw new Error("no lines to export");
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} already exists and is not empty`);
  let seq = 0;
  const writer = new CaptureWriter({
    dir,
    maxFileBytes: Number.MAX_SAFE_INTEGER,
    maxDiskBytes: 0,
    compress: true,
    namer: { next: (compressed) => `export-${String(seq++).padStart(3, "0")}.jsonl${compressed ? ".zst" : ""}` },
  });
  let min = entries[0]!;
  let max = entries[0]!;
  for (let i = 0; i < entries.length; i += BATCH) {
    const batch = entries.slice(i, i + BATCH);
    for (const e of batch) {
      if (e.sec < min.sec || (e.sec === min.sec && e.nsec < min.nsec)) min = e;
      if (e.sec > max.sec || (e.sec === max.sec && e.nsec > max.nsec)) max = e;
    }
    await writer.write(encodeJsonlBatch({ entries: batch }));
  }
  const totals = await writer.close();
  writeMetadata(dir, {
    ...newMetadata(formatInstant(min.sec, min.nsec)),
    stopped: formatInstant(max.sec, max.nsec),
    total_lines: totals.lines,
    total_bytes: totals.bytes,
    labels_seen: totals.labelKeys.length > 0 ? totals.labelKeys : null,
  });
  return { lines: totals.lines, bytes: totals.bytes };
}

/** The status bar text for an export's outcome. */
export async function exportStatus(dir: string, entries: readonly Entry[]): Promise<string> {
  try {
    const r = await exportCapture(dir, entries);
    return `Exported ${r.lines} lines to ${dir}`;
  } catch (e) {
    return `Export error: ${(e as Error).message.split("\n")[0]}`;
  }
}
