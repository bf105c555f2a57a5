/**
 * Writes lines read from a capture into a new capture exactly as they were stored: one output file per source file,
 * with the source file's name and compression. Lines go through CaptureWriter, so `.zst` outputs are independent
 * frames and the index gets from/to/lines/bytes/labels and frame records like any capture the receiver writes.
 */

import type { CaptureBatch } from "../../model/capture-batch.ts";
import type { JsonlBatch } from "../../model/jsonl-batch.ts";
import { isCompressedName } from "../data-files.ts";
import { compareInstant, type Instant } from "../timestamp.ts";
import { CaptureWriter } from "../writer/capture-writer.ts";

export interface CopiedFile {
  name: string;
  lines: number;
  /** Uncompressed bytes (lines with their newlines). */
  bytes: number;
}

export interface LineCopyTotals {
  files: CopiedFile[];
  lines: number;
  bytes: number;
  /** Sorted label keys of the copied lines. */
  labelKeys: string[];
  /** Earliest and latest copied timestamp; undefined when nothing was copied. */
  from?: Instant;
  to?: Instant;
}

export interface LineCopyOptions {
  /** Called when an output file is complete (the next source file began, or the copy closed). */
  onFileDone?: (f: CopiedFile) => void;
  frameBytes?: number;
}

const encoder = new TextEncoder();

/** Capture lines as a JsonlBatch, byte for byte; `raws` are the stored lines without their newlines. */
export function rawLinesBatch(batch: CaptureBatch): JsonlBatch {
  const raws = batch.raws;
  if (raws === undefined) throw new Error("copying lines needs a reader with keepRaw");
  const ends = new Uint32Array(raws.length);
  let chars = 0;
  for (let i = 0; i < raws.length; i++) {
    chars += raws[i]!.length + 1;
    ends[i] = chars;
  }
  const bytes = encoder.encode(raws.join("\n") + "\n");
  // Pure ASCII (the common case): byte offsets are character offsets.
  if (bytes.length !== chars) {
    let off = 0;
    for (let i = 0; i < raws.length; i++) {
      off += Buffer.byteLength(raws[i]!) + 1;
      ends[i] = off;
    }
  }
  return { entries: batch.entries, bytes, ends };
}

export class LineCopyWriter {
  readonly #dir: string;
  readonly #opts: LineCopyOptions;
  readonly #files: CopiedFile[] = [];
  readonly #labelKeys = new Set<string>();
  #writer: CaptureWriter | null = null;
  #file = "";
  #lines = 0;
  #bytes = 0;
  #from?: Instant;
  #to?: Instant;

  /** Nothing is created until the first line arrives, so a copy that matches nothing leaves no directory. */
  constructor(dir: string, opts: LineCopyOptions = {}) {
    this.#dir = dir;
    this.#opts = opts;
  }

  async write(batch: CaptureBatch): Promise<void> {
    if (batch.entries.length === 0) return;
    if (batch.file !== this.#file || this.#writer === null) {
      await this.#finishFile();
      this.#file = batch.file;
      const name = batch.file;
      this.#writer = new CaptureWriter({
        dir: this.#dir,
        maxFileBytes: Number.MAX_SAFE_INTEGER,
        maxDiskBytes: 0,
        compress: isCompressedName(name),
        frameBytes: this.#opts.frameBytes,
        // Frames are cut by size only, so the same input always gives the same output bytes.
        flushIntervalMs: 0x7fffffff,
        namer: { next: () => name },
      });
    }
    for (const e of batch.entries) {
      if (this.#from === undefined || compareInstant(e.sec, e.nsec, this.#from.sec, this.#from.nsec) < 0) this.#from = { sec: e.sec, nsec: e.nsec };
      if (this.#to === undefined || compareInstant(e.sec, e.nsec, this.#to.sec, this.#to.nsec) > 0) this.#to = { sec: e.sec, nsec: e.nsec };
    }
    await this.#writer.write(rawLinesBatch(batch));
  }

  async close(): Promise<LineCopyTotals> {
    await this.#finishFile();
    return {
      files: this.#files,
      lines: this.#lines,
      bytes: this.#bytes,
      labelKeys: [...this.#labelKeys].sort(),
      from: this.#from,
      to: this.#to,
    };
  }

  async #finishFile(): Promise<void> {
    const w = this.#writer;
    if (w === null) return;
    this.#writer = null;
    const t = await w.close();
    for (const k of t.labelKeys) this.#labelKeys.add(k);
    this.#lines += t.lines;
    this.#bytes += t.bytes;
    const f = { name: this.#file, lines: t.lines, bytes: t.bytes };
    this.#files.push(f);
    this.#opts.onFileDone?.(f);
  }
}
