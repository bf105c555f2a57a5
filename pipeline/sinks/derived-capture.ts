/**
 * A new capture made from a stream of entries another command transformed (`open --inject-out`, the temporary
 * copies of `merge --clock-correct`): written through the ordinary writer, so it is a normal capture — zstd frames,
 * an index with frame records, rotation at 256 MiB — whose data files are named `<prefix>-000.jsonl.zst`, `-001`…
 */

import type { EntryBatch } from "../../src/model/entry.ts";
import { EncodeJsonlStream } from "../stages/encode-jsonl.ts";
import { CaptureSink } from "./capture-sink.ts";
import type { IndexEntry } from "../../src/capture/index-file.ts";
import { writeMetadata, type Metadata } from "../../src/capture/metadata.ts";
import { parseRfc3339, ZERO_TIME_TEXT, type Instant } from "../../src/capture/timestamp.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";

// The receiver's default --max-file.
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** `<prefix>-000.jsonl.zst`, `<prefix>-001.jsonl.zst`, … (upstream wrote one `<prefix>-000.jsonl`). */
export class SequenceNamer {
  #seq = 0;
  constructor(readonly prefix: string) {}
  next(compressed: boolean): string {
    return `${this.prefix}-${String(this.#seq++).padStart(3, "0")}.jsonl${compressed ? ".zst" : ""}`;
  }
}

export interface DerivedCaptureResult {
  lines: number;
  bytes: number;
  metadata: Metadata;
}

const before = (a: Instant, b: Instant) => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);

/**
 * Metadata of a derived capture: version, format, redaction of the source; `started`/`stopped` = earliest/latest
 * written timestamp; totals and label keys of what was written together with the source's `labels_seen`.
 */
export function derivedMetadata(source: Metadata, index: readonly IndexEntry[], totals: { lines: number; bytes: number; labelKeys: string[] }): Metadata {
  let first: { t: Instant; text: string } | null = null;
  let last: { t: Instant; text: string } | null = null;
  for (const e of index) {
    const from = parseRfc3339(e.from);
    const to = parseRfc3339(e.to);
    if (from && (first === null || before(from, first.t))) first = { t: from, text: e.from };
    if (to && (last === null || before(last.t, to))) last = { t: to, text: e.to };
  }
  const labels = new Set(totals.labelKeys);
  for (const k of Array.isArray(source.labels_seen) ? source.labels_seen : []) if (typeof k === "string") labels.add(k);
  const m: Metadata = {
    version: typeof source.version === "number" ? source.version : 1,
    format: typeof source.format === "string" && source.format !== "" ? source.format : "jsonl",
    started: first?.text ?? ZERO_TIME_TEXT,
    stopped: last?.text ?? ZERO_TIME_TEXT,
    total_lines: totals.lines,
    total_bytes: totals.bytes,
    labels_seen: labels.size > 0 ? [...labels].sort() : null,
  };
  if (source.redaction !== undefined && source.redaction !== null) m.redaction = source.redaction;
  return m;
}

/**
 * Writes `entries` into `dir` (created 0700; the caller checks it may) and then its metadata.
 * @example
 * await writeDerivedCapture(captureSource(reader).pipeThrough(stage), "./out", { prefix: "injected", source: capture.metadata });
 */
export async function writeDerivedCapture(entries: ReadableStream<EntryBatch>, dir: string, opts: { prefix: string; source: Metadata }): Promise<DerivedCaptureResult> {
  const index: IndexEntry[] = [];
  const writer = new CaptureWriter({
    dir,
    maxFileBytes: MAX_FILE_BYTES,
    maxDiskBytes: 0,
    compress: true,
    namer: new SequenceNamer(opts.prefix),
    events: { onRotate: (e) => index.push(e) },
  });
  const piped = await entries.pipeThrough(new EncodeJsonlStream()).pipeTo(new CaptureSink(writer)).then(
    () => null,
    (error: unknown) => ({ error }),
  );
  // Closed on failure too: the writer's flush timer must stop and its open file be closed before the caller cleans up.
  const totals = await writer.close();
  if (piped !== null) throw piped.error;
  const metadata = derivedMetadata(opts.source, index, totals);
  writeMetadata(dir, metadata);
  return { lines: totals.lines, bytes: totals.bytes, metadata };
}
