/**
 * Which byte ranges of a capture to read for a filter: data files in name (= creation) order, indexed files the
 * filter rules out skipped whole, and within indexed zstd files only the frames whose time range can match.
 */

import { readAt, type ReusedReadBuffer } from "../read-at.ts";
import { openSync, closeSync, fstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isCompressedName, isDataFileName } from "../data-files.ts";
import { readIndex, type IndexEntry } from "../index-file.ts";
import type { EntryFilter } from "../filters/entry-filter.ts";
import { scanZstdFrames } from "./zstd-frames.ts";
import type { ReadProblem } from "./read-problem.ts";

export interface PlannedFile {
  name: string;
  index?: IndexEntry;
}

/** One unit of reading: a zstd frame or a slice of a plain file, ending on a line boundary. */
export interface ReadUnit {
  file: string;
  offset: number;
  length: number;
  compressed: boolean;
  bytes: Uint8Array;
}

/** An indexed zstd frame not read yet: whoever decompresses it reads it (a search worker). */
export interface DeferredFrame {
  file: string;
  offset: number;
  length: number;
  compressed: true;
  bytes?: undefined;
}

export interface CapturePlan {
  files: readonly PlannedFile[];
  skippedFiles: number;
}

export function planCapture(dir: string, filter: EntryFilter): CapturePlan {
  const index = new Map<string, IndexEntry>();
  for (const e of readIndex(dir)) index.set(e.file, e);
  const files: PlannedFile[] = [];
  let skippedFiles = 0;
  for (const name of readdirSync(dir).filter(isDataFileName).sort()) {
    const entry = index.get(name);
    if (entry && !filter.mayMatchFile(entry)) skippedFiles++;
    else files.push({ name, index: entry });
  }
  return { files, skippedFiles };
}

const PLAIN_CHUNK = 4 << 20;

/**
 * Yields the read units of one file. A file that vanished (rotated away, deleted by the disk cap) yields nothing;
 * damaged zstd ranges are reported to `onProblem` and skipped.
 */
export function readUnits(dir: string, f: PlannedFile, filter: EntryFilter, onProblem: (p: ReadProblem) => void): Generator<ReadUnit>;
/**
 * With `deferFrames`, indexed frames are yielded unread (units of unindexed and plain files are still read). With
 * `frameInput`, indexed frames read one by one go into that one buffer: for a consumer done with each frame's bytes
 * before it asks for the next unit (inline decompression).
 */
export function readUnits(
  dir: string,
  f: PlannedFile,
  filter: EntryFilter,
  onProblem: (p: ReadProblem) => void,
  deferFrames: boolean,
  frameInput?: ReusedReadBuffer,
): Generator<ReadUnit | DeferredFrame>;
export function* readUnits(
  dir: string,
  f: PlannedFile,
  filter: EntryFilter,
  onProblem: (p: ReadProblem) => void,
  deferFrames = false,
  frameInput?: ReusedReadBuffer,
): Generator<ReadUnit | DeferredFrame> {
  let fd: number;
  try {
    fd = openSync(join(dir, f.name), "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    const compressed = isCompressedName(f.name);
    const frames = f.index?.frames;
    if (compressed && frames && frames.length > 0) {
      const wanted = frames.filter((fr) => filter.mayMatchFrame(fr));
      const wantedBytes = wanted.reduce((n, fr) => n + fr.length, 0);
      // Reading most of a file: one read and views into it beat a read and an allocation per frame.
      const whole = !deferFrames && wantedBytes > size / 2 ? readAt(fd, 0, size) : null;
      for (const fr of wanted) {
        if (fr.offset + fr.length > size) {
          onProblem({ file: f.name, offset: fr.offset, kind: "corrupt", detail: `frame of ${fr.length} bytes runs past the end of the file (${size} bytes)` });
          continue;
        }
        const unit = { file: f.name, offset: fr.offset, length: fr.length, compressed: true as const };
        if (deferFrames) yield unit;
        else if (whole) yield { ...unit, bytes: whole.subarray(fr.offset, fr.offset + fr.length) };
        else yield { ...unit, bytes: frameInput ? frameInput.read(fd, fr.offset, fr.length) : readAt(fd, fr.offset, fr.length) };
      }
      return;
    }
    if (compressed) {
      const all = readAt(fd, 0, size);
      for (const span of scanZstdFrames(all)) {
        if (span.kind === "frame") {
          yield { file: f.name, offset: span.offset, length: span.length, compressed, bytes: all.subarray(span.offset, span.offset + span.length) };
        }
        else if (span.kind === "truncated")
          onProblem({ file: f.name, offset: span.offset, kind: "torn-tail", detail: `incomplete zstd frame (${span.length} bytes) at end of file` });
        else onProblem({ file: f.name, offset: span.offset, kind: "corrupt", detail: `${span.length} bytes are not a zstd frame` });
      }
      return;
    }
    // Plain JSONL: chunks cut just after a newline; a last line without one is a torn tail of a live file, read as is.
    let off = 0;
    while (off < size) {
      let want = Math.min(PLAIN_CHUNK, size - off);
      let bytes = readAt(fd, off, want);
      // A line longer than the chunk: widen until it ends, so no line is ever split between two units.
      while (off + want < size && bytes.lastIndexOf(10) < 0) {
        want = Math.min(want * 2, size - off);
        bytes = readAt(fd, off, want);
      }
      if (off + want < size) bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
      yield { file: f.name, offset: off, length: bytes.length, compressed: false, bytes };
      off += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
}

