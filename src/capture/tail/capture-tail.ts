/**
 * `watch`'s reading (upstream §16 with its Q25 fix): the last N entries of a capture, then — while the capture is
 * live — what its newest data file gains, polled every ~150 ms. The receiver's active file is compressed from the
 * start, so following means decoding each zstd frame once it is complete; when a newer data file appears the
 * current one is finished first, then reading switches over. Stops when the capture stops or the signal aborts.
 */

import { readdirSync } from "node:fs";
import type { CaptureBatch } from "../../model/capture-batch.ts";
import { isDataFileName } from "../data-files.ts";
import { EntryFilter } from "../filters/entry-filter.ts";
import { readMetadata } from "../metadata.ts";
import type { ReadProblem } from "../reader/read-problem.ts";
import { isZeroInstant, parseRfc3339 } from "../timestamp.ts";
import { newCursor, readNewEntries, type TailCursor } from "./file-tail.ts";
import { lastEntries } from "./last-entries.ts";

export interface CaptureTailOptions {
  /** Entries shown before following: the last `lines` that pass `filter`. */
  lines: number;
  filter?: EntryFilter;
  pollMs?: number;
  signal?: AbortSignal;
  onProblem?: (p: ReadProblem) => void;
}

export const DEFAULT_POLL_MS = 150;

/** Live = metadata says the capture has not stopped (upstream §2.4); unreadable metadata keeps the last answer. */
export function isLiveCapture(dir: string, previous: boolean): boolean {
  try {
    const stopped = readMetadata(dir).stopped;
    if (typeof stopped !== "string") return true;
    const t = parseRfc3339(stopped);
    return t === null || isZeroInstant(t);
  } catch {
    return previous;
  }
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir).filter(isDataFileName).sort();
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export class CaptureTail {
  readonly #dir: string;
  readonly #opts: CaptureTailOptions;
  readonly #filter: EntryFilter;
  readonly #onProblem: (p: ReadProblem) => void;

  constructor(dir: string, opts: CaptureTailOptions) {
    this.#dir = dir;
    this.#opts = opts;
    this.#filter = opts.filter ?? new EntryFilter();
    this.#onProblem = opts.onProblem ?? (() => {});
  }

  /** The backlog first, then (live captures only) new entries as they are written. Entries are not filtered after the backlog. */
  async *batches(): AsyncGenerator<CaptureBatch> {
    const signal = this.#opts.signal;
    let live = isLiveCapture(this.#dir, false);
    const backlog = await lastEntries(this.#dir, dataFiles(this.#dir), this.#opts.lines, this.#filter, live, this.#onProblem);
    let cursor = backlog.cursor;
    if (backlog.entries.length > 0) yield { entries: backlog.entries, file: cursor.file };
    while (live && !signal?.aborted) {
      await sleep(this.#opts.pollMs ?? DEFAULT_POLL_MS, signal);
      if (signal?.aborted) return;
      // Read before the data: the receiver writes `stopped` only after its last frame, so this drain sees it all.
      live = isLiveCapture(this.#dir, live);
      for await (const batch of this.#poll(cursor, (c) => (cursor = c))) yield batch;
    }
  }

  async *#poll(start: TailCursor, moveTo: (c: TailCursor) => void): AsyncGenerator<CaptureBatch> {
    let cur = start;
    // Listed before reading: a file newer than the current one means the current one was finished before it began.
    const newer = dataFiles(this.#dir).filter((n) => n > cur.file);
    if (cur.file !== "") {
      const r = await readNewEntries(this.#dir, cur, newer.length > 0, this.#onProblem);
      if (r.entries.length > 0) yield { entries: r.entries, file: cur.file };
    }
    for (let i = 0; i < newer.length; i++) {
      const name = newer[i]!;
      // An upstream receiver compresses its plain active file into `<name>.zst` at rotation: same lines again.
      cur = newCursor(name, name === cur.file + ".zst" ? cur.lines : 0);
      moveTo(cur);
      const r = await readNewEntries(this.#dir, cur, i < newer.length - 1, this.#onProblem);
      if (r.entries.length > 0) yield { entries: r.entries, file: name };
    }
  }
}
