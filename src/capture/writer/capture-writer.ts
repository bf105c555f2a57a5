/**
 * Writes JSONL batches into a capture directory: independent zstd frames (≤ 1 MiB of JSONL, at least one a second)
 * appended to the active data file, rotation at --max-file, the --max-disk cap enforced as files grow, and an
 * index line per closed file. Compression runs on Bun's thread pool so the receiving thread keeps decoding.
 */

import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync, chmodSync } from "node:fs";
import { join } from "node:path";
import type { JsonlBatch } from "../../model/jsonl-batch.ts";
import { AUDIT_FILE, DataFileNamer, INDEX_FILE, METADATA_FILE, isDataFileName } from "../data-files.ts";
import { DIR_MODE, FILE_MODE } from "../file-modes.ts";
import { appendIndexEntry, removeFromIndex, type FramePart, type FrameRecord, type IndexEntry } from "../index-file.ts";
import { FrameParts, PART_SPLIT_SEC } from "./frame-parts.ts";
import { SpanStats } from "./span-stats.ts";

/** Data file names tried before giving up on one that is free. */
const MAX_NAME_ATTEMPTS = 1_000;
export const DEFAULT_FRAME_BYTES = 1 << 20;
// Level 1: on log data it compresses ~2x faster than level 3 at a similar ratio (docs/benchmarks.md, zstd).
const ZSTD_LEVEL = 1;
// Frames being compressed at once; two keep the pool's second core busy without letting memory run ahead.
const MAX_INFLIGHT_FRAMES = 2;
const NO_FRAME = new Uint8Array(0);

export interface CaptureWriterEvents {
  onRotate?(entry: IndexEntry, reason: "size" | "close" | "disk"): void;
  onDelete?(file: string, bytes: number): void;
  onFrame?(storedBytes: number, rawBytes: number, lines: number): void;
  onWriteError?(error: Error, linesLost: number): void;
  onDiskUsage?(bytes: number): void;
}

export interface CaptureWriterOptions {
  dir: string;
  /** Rotate before a line would take the active file past this many uncompressed bytes. */
  maxFileBytes: number;
  /** Keep the directory under this many bytes by deleting the oldest data files; 0 = no cap. */
  maxDiskBytes: number;
  compress: boolean;
  frameBytes?: number;
  flushIntervalMs?: number;
  /** Names each new data file; default: the receiver's wall-clock names (slice keeps its source files' names). */
  namer?: { next(compressed: boolean): string };
  /**
   * Now, in seconds since the epoch: the receiver's arrival clock. With it, frames whose lines are far from their
   * arrival time record parts (frame-parts.ts); copies of existing data (slice, export, merge) have no such clock.
   */
  receiveClock?: () => number;
  events?: CaptureWriterEvents;
}

export interface CaptureTotals {
  lines: number;
  bytes: number;
  labelKeys: string[];
}

interface ActiveFile {
  name: string;
  fd: number;
  /** Uncompressed bytes handed to frames so far (the rotation threshold counts these). */
  cutBytes: number;
  /** Bytes on disk, i.e. the offset of the next frame. */
  storedBytes: number;
  rawWritten: number;
  stats: SpanStats;
  frames: FrameRecord[];
}

interface ClosedFile {
  name: string;
  size: number;
}

export class CaptureWriter {
  readonly #dir: string;
  readonly #maxFile: number;
  readonly #maxDisk: number;
  readonly #compress: boolean;
  readonly #frameBytes: number;
  readonly #events: CaptureWriterEvents;
  readonly #namer: { next(compressed: boolean): string };
  readonly #receiveClock: (() => number) | null;
  readonly #closed: ClosedFile[];
  readonly #otherBytes: number;
  readonly #timer: ReturnType<typeof setInterval>;

  #active: ActiveFile | null = null;
  // The frame being filled: lines are copied in as they are written (so a waiting frame keeps no batch buffer
  // alive), into buffers recycled once their frame is stored — at ingest rates a fresh 1 MiB per frame was a large
  // part of the receiver's garbage.
  #frame: Uint8Array = NO_FRAME;
  #pendingBytes = 0;
  readonly #spareFrames: Uint8Array[] = [];
  #pendingStats = new SpanStats();
  #pendingParts: FrameParts | null = null;
  #tail: Promise<void> = Promise.resolve();
  #inflight: Promise<void>[] = [];
  #forceRotate = false;
  #linesWritten = 0;
  #bytesWritten = 0;
  #labelKeys = new Set<string>();

  constructor(opts: CaptureWriterOptions) {
    this.#dir = opts.dir;
    this.#maxFile = opts.maxFileBytes;
    this.#maxDisk = opts.maxDiskBytes;
    this.#compress = opts.compress;
    this.#frameBytes = opts.frameBytes ?? DEFAULT_FRAME_BYTES;
    this.#events = opts.events ?? {};
    this.#namer = opts.namer ?? new DataFileNamer();
    this.#receiveClock = opts.receiveClock ?? null;
    mkdirSync(this.#dir, { recursive: true, mode: DIR_MODE });
    chmodSync(this.#dir, DIR_MODE);
    const existing = scanDirectory(this.#dir);
    this.#closed = existing.data;
    this.#otherBytes = existing.otherBytes;
    this.#timer = setInterval(() => this.#cutFrame(), opts.flushIntervalMs ?? 1000);
    this.#timer.unref?.();
  }

  /** Resolves when the batch is accepted; it waits only while too many frames are still being compressed. */
  async write(batch: JsonlBatch): Promise<void> {
    if (this.#forceRotate) await this.#rotate("disk");
    const { entries, bytes, ends } = batch;
    const now = this.#receiveClock?.() ?? NaN;
    // Comparisons with NaN are false: without a clock no line is ever far.
    const behind = now - PART_SPLIT_SEC;
    const ahead = now + PART_SPLIT_SEC;
    let runStart = 0;
    let prevEnd = 0;
    for (let i = 0; i < entries.length; i++) {
      const end = ends[i]!;
      const len = end - prevEnd;
      const fileBytes = (this.#active?.cutBytes ?? 0) + this.#pendingBytes;
      if (fileBytes > 0 && fileBytes + len > this.#maxFile) {
        this.#addRun(bytes, runStart, prevEnd);
        runStart = prevEnd;
        await this.#rotate("size");
      } else if (this.#pendingBytes > 0 && this.#pendingBytes + len > this.#frameBytes) {
        this.#addRun(bytes, runStart, prevEnd);
        runStart = prevEnd;
        this.#cutFrame();
      }
      this.#pendingBytes += len;
      const e = entries[i]!;
      if (e.sec < behind || e.sec > ahead) (this.#pendingParts ??= new FrameParts(this.#pendingStats)).add(e, e.sec < behind ? -1 : 1);
      else this.#pendingParts?.add(e, 0);
      this.#pendingStats.add(e);
      prevEnd = end;
    }
    this.#addRun(bytes, runStart, prevEnd);
    if (this.#pendingBytes >= this.#frameBytes) this.#cutFrame();
    while (this.#inflight.length > MAX_INFLIGHT_FRAMES) await this.#inflight[0];
  }

  /** Closes the last frame and file and writes its index line; the writer is unusable afterwards. */
  async close(): Promise<CaptureTotals> {
    clearInterval(this.#timer);
    await this.#rotate("close");
    return { lines: this.#linesWritten, bytes: this.#bytesWritten, labelKeys: [...this.#labelKeys].sort() };
  }

  /** Forces pending lines into a frame now (tests and shutdown use it; the timer does it every second). */
  async flush(): Promise<void> {
    this.#cutFrame();
    await this.#tail;
  }

  get linesWritten(): number {
    return this.#linesWritten;
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  diskUsage(): number {
    return this.#usage(0);
  }

  #addRun(bytes: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    // #pendingBytes already counts this run; it starts where the frame's copied bytes end.
    const at = this.#pendingBytes - (end - start);
    if (this.#pendingBytes > this.#frame.length) {
      // A new frame, or (a line longer than a frame) a one-off bigger buffer.
      const next = this.#pendingBytes <= this.#frameBytes ? this.#takeFrame() : new Uint8Array(this.#pendingBytes);
      next.set(this.#frame.subarray(0, at));
      if (this.#frame !== NO_FRAME) this.#releaseFrame(this.#frame);
      this.#frame = next;
    }
    this.#frame.set(bytes.subarray(start, end), at);
  }

  #takeFrame(): Uint8Array {
    return this.#spareFrames.pop() ?? new Uint8Array(this.#frameBytes);
  }

  #releaseFrame(buf: Uint8Array): void {
    if (buf.length === this.#frameBytes && this.#spareFrames.length <= MAX_INFLIGHT_FRAMES) this.#spareFrames.push(buf);
  }

  #cutFrame(): void {
    if (this.#pendingBytes === 0) return;
    const buffer = this.#frame;
    const raw = buffer.subarray(0, this.#pendingBytes);
    const stats = this.#pendingStats;
    const parts = this.#pendingParts?.records();
    this.#frame = NO_FRAME;
    this.#pendingBytes = 0;
    this.#pendingStats = new SpanStats();
    this.#pendingParts = null;
    const file = (this.#active ??= this.#openFile());
    file.cutBytes += raw.length;
    // Settled immediately so a failed compression is never an unhandled rejection while earlier frames still write.
    const stored: Promise<Uint8Array | Error> = (
      this.#compress ? Bun.zstdCompress(raw, { level: ZSTD_LEVEL }) : Promise.resolve(raw)
    ).then(
      (out) => out,
      (err) => (err instanceof Error ? err : new Error(String(err))),
    );
    const done = this.#tail
      .then(() => stored)
      .then((out) => {
        if (out instanceof Error) this.#events.onWriteError?.(out, stats.lines);
        else this.#writeFrame(file, out, raw.length, stats, parts);
      })
      .catch((err) => this.#events.onWriteError?.(err as Error, stats.lines))
      .finally(() => this.#releaseFrame(buffer));
    this.#tail = done;
    this.#inflight.push(done);
    void done.then(() => this.#inflight.splice(this.#inflight.indexOf(done), 1));
  }

  #writeFrame(file: ActiveFile, out: Uint8Array, rawLength: number, stats: SpanStats, parts: FramePart[] | undefined): void {
    this.#makeRoom(out.length);
    try {
      let off = 0;
      while (off < out.length) off += writeSync(file.fd, out, off, out.length - off, file.storedBytes + off);
    } catch (err) {
      // A partial frame would make the rest of the file unreadable by strict decoders: cut it off again.
      try {
        ftruncateSync(file.fd, file.storedBytes);
      } catch {
        // the file is already as intact as we can make it
      }
      this.#events.onWriteError?.(err as Error, stats.lines);
      return;
    }
    const frame: FrameRecord = { offset: file.storedBytes, length: out.length, lines: stats.lines, from: stats.from(), to: stats.to() };
    if (parts) frame.parts = parts;
    file.frames.push(frame);
    file.storedBytes += out.length;
    file.rawWritten += rawLength;
    file.stats.merge(stats);
    this.#linesWritten += stats.lines;
    this.#bytesWritten += rawLength;
    this.#events.onFrame?.(out.length, rawLength, stats.lines);
    const usage = this.#usage(0);
    this.#events.onDiskUsage?.(usage);
    // Only the open file is left and it alone breaks the cap: close it at the next write so it can be deleted.
    if (this.#maxDisk > 0 && usage > this.#maxDisk && this.#closed.length === 0) this.#forceRotate = true;
  }

  async #rotate(reason: "size" | "close" | "disk"): Promise<void> {
    this.#forceRotate = false;
    this.#cutFrame();
    await this.#tail;
    const file = this.#active;
    if (file === null) return;
    this.#active = null;
    closeSync(file.fd);
    if (file.stats.lines === 0) {
      // Upstream leaves empty data files behind (Q9); readers would only skip them.
      unlinkSync(join(this.#dir, file.name));
      return;
    }
    const labels = file.stats.labelCounts();
    for (const k of Object.keys(labels)) this.#labelKeys.add(k);
    const entry: IndexEntry = {
      file: file.name,
      from: file.stats.from(),
      to: file.stats.to(),
      lines: file.stats.lines,
      bytes: file.rawWritten,
      labels,
      frames: file.frames,
    };
    try {
      appendIndexEntry(this.#dir, entry);
    } catch (e) {
      // A full disk: the file is complete, and readers take a file the index does not name as it is (an orphan).
      // Throwing here would stop the capture, or at the end skip the final metadata.
      this.#events.onWriteError?.(new Error(`${INDEX_FILE} not updated for ${file.name}, which is read without it: ${(e as Error).message}`), 0);
    }
    this.#closed.push({ name: file.name, size: file.storedBytes });
    this.#events.onRotate?.(entry, reason);
    if (reason === "disk") this.#makeRoom(0);
  }

  #openFile(): ActiveFile {
    // A name is taken when an earlier run wrote into this directory within the same second: the next one is free.
    for (let attempt = 0; ; attempt++) {
      const name = this.#namer.next(this.#compress);
      try {
        const fd = openSync(join(this.#dir, name), "wx", FILE_MODE);
        return { name, fd, cutBytes: 0, storedBytes: 0, rawWritten: 0, stats: new SpanStats(), frames: [] };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= MAX_NAME_ATTEMPTS) throw e;
      }
    }
  }

  #usage(incoming: number): number {
    let data = 0;
    for (const f of this.#closed) data += f.size;
    return data + (this.#active?.storedBytes ?? 0) + incoming + this.#otherBytes + this.#liveMetaBytes();
  }

  #liveMetaBytes(): number {
    let n = 0;
    for (const name of [INDEX_FILE, AUDIT_FILE, METADATA_FILE]) {
      try {
        n += statSync(join(this.#dir, name)).size;
      } catch {
        // not created yet
      }
    }
    return n;
  }

  /** Deletes the oldest closed data files until `incoming` more bytes fit under the cap. */
  #makeRoom(incoming: number): void {
    if (this.#maxDisk <= 0) return;
    const removed = new Set<string>();
    let usage = this.#usage(incoming);
    while (usage > this.#maxDisk && this.#closed.length > 0) {
      const oldest = this.#closed.shift()!;
      try {
        unlinkSync(join(this.#dir, oldest.name));
      } catch {
        // already gone (someone else cleaned up); still stop counting it
      }
      removed.add(oldest.name);
      usage -= oldest.size;
      this.#events.onDelete?.(oldest.name, oldest.size);
    }
    if (removed.size > 0) removeFromIndex(this.#dir, removed);
  }
}

/** Existing data files (oldest first, by name) and the size of every other file, which counts against the cap too. */
function scanDirectory(dir: string): { data: ClosedFile[]; otherBytes: number } {
  const data: ClosedFile[] = [];
  let otherBytes = 0;
  for (const name of readdirSync(dir).sort()) {
    let st;
    try {
      st = statSync(join(dir, name));
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    if (isDataFileName(name)) data.push({ name, size: st.size });
    else if (name !== INDEX_FILE && name !== AUDIT_FILE && name !== METADATA_FILE) otherBytes += st.size;
  }
  return { data, otherBytes };
}
