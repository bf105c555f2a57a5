/**
 * Reads a capture for a filter: plans files and frames (index-driven skipping), decompresses up to a few frames
 * ahead on Bun's thread pool (so both cores work), and parses lines into entries. With a raw prefilter, only lines
 * whose stored text matches it are parsed at all — the fast path for searches; over a large compressed capture,
 * search workers then read, decompress and search whole frames each on its own core (frame-search-pool.ts).
 */

import type { Entry } from "../../model/entry.ts";
import type { CaptureBatch } from "../../model/capture-batch.ts";
import { decodeEntryLine } from "../entry-line.ts";
import { EntryFilter } from "../filters/entry-filter.ts";
import { join } from "node:path";
import { isCompressedName } from "../data-files.ts";
import { candidateLines } from "./candidate-lines.ts";
import { FrameSearchPool, parallelSearchMinBytes, type FrameSearchRequest } from "./frame-search-pool.ts";
import { planCapture, readUnits, type CapturePlan, type DeferredFrame, type PlannedFile, type ReadUnit } from "./read-plan.ts";
import { NonEntryLines, type ReadProblem } from "./read-problem.ts";
import type { PrefilterRegExp } from "../../regex/required-literals.ts";
import { judgeFrame, type JudgedFrame } from "./judge-frame.ts";
import { OutputBuffers } from "./output-buffers.ts";
import { LaterLinesBound } from "./later-lines-bound.ts";
import { StoredLineJudge, type JudgeSpec } from "./stored-line-judge.ts";
import { FrameDecompressor } from "./frame-decompressor.ts";
import type { Instant } from "../timestamp.ts";
import { ReusedReadBuffer } from "../read-at.ts";

export interface CaptureReadOptions {
  filter?: EntryFilter;
  /**
   * A global regex that every line able to pass the filter contains in its stored text (a necessary condition,
   * e.g. a literal of the search pattern). Lines without a match are not parsed.
   */
  rawPrefilter?: PrefilterRegExp;
  /** Keep each entry's stored line text (slice copies lines byte for byte). */
  keepRaw?: boolean;
  onProblem?: (p: ReadProblem) => void;
  /** Frames decompressed ahead of the parser. */
  readAhead?: number;
  /**
   * `inline`: decompress on the calling thread instead of Bun's thread pool, so a reader is exactly one core's worth
   * of work (triage's `--jobs N` means N cores; a scanning thread does its own decompression).
   */
  decompress?: "pool" | "inline";

  /**
   * Read these planned files instead of planning the directory: a share of a plan made once by the caller (one
   * parallel worker's files, or some of the frames of one file), so the directory and index are not re-read per share.
   */
  files?: readonly PlannedFile[];
}

export class CaptureReadError extends Error {}

/** One frame as `judged()` yields it. */
export interface JudgedBatch {
  file: string;
  count: number;
  out?: Uint8Array;
  /** The entries the judge left to the general path; `cuts[i]` is where `rest.entries[i]` belongs in `out`. */
  rest: CaptureBatch;
  cuts: number[];
  /** With `spec.facts`: what JudgedFrame says of them. */
  facts?: Float64Array;
  services?: string[];
  /** Says `out` is read no more (written), so its memory may take a later frame's output; optional. */
  release(): void;
  /** No line of a later batch is earlier than this (later-lines-bound.ts); null when the index cannot say. */
  laterFrom: Instant | null;
}

/** A decompressed frame, or a chunk of a plain file ending on a line boundary. */
export interface RawFrame {
  file: string;
  offset: number;
  bytes: Uint8Array;
  /** Says the bytes are no longer read, so a later frame may be decompressed into them (optional: never is safe). */
  release(): void;
}

const decoder = new TextDecoder();

interface Decoded {
  unit: ReadUnit | DeferredFrame;
  bytes?: Uint8Array;
  /** Candidate lines found by a search worker. */
  lines?: string[];
  /** A search worker's judgement of the frame's candidate lines. */
  judged?: JudgedFrame;
  error?: string;
  /** Set when `bytes` are a reused buffer's: call once they are read no more. */
  release?: () => void;
}

export interface CaptureReadStats {
  filesRead: number;
  filesSkipped: number;
  problems: ReadProblem[];
}

export class CaptureReader {
  readonly stats: CaptureReadStats = { filesRead: 0, filesSkipped: 0, problems: [] };
  readonly #dir: string;
  readonly #opts: CaptureReadOptions;
  readonly #filter: EntryFilter;
  readonly #literals: Buffer[] | null;
  /** A case-insensitive prefilter (ASCII literals), which search workers run (frame-search-worker.ts). */
  readonly #fold: FrameSearchRequest["fold"];
  readonly #nonEntries = new NonEntryLines();
  readonly #problem = (p: ReadProblem): void => {
    this.stats.problems.push(p);
    this.#opts.onProblem?.(p);
  };

  constructor(dir: string, opts: CaptureReadOptions = {}) {
    this.#dir = dir;
    this.#opts = opts;
    this.#filter = opts.filter ?? new EntryFilter();
    const lits = opts.rawPrefilter?.literals;
    // Few case-sensitive literals are found fastest as bytes (memmem), without turning whole frames into strings.
    this.#literals = lits && lits.length <= 4 ? lits.map((l) => Buffer.from(l)) : null;
    const pre = opts.rawPrefilter;
    this.#fold = pre && !lits && pre.flags.includes("i") ? { source: pre.source, flags: pre.flags, literals: pre.foldLiterals } : undefined;
  }

  /** Parses only the lines that contain one of the literals; every other line of the frame is never a string. */
  #parseLines(file: string, offset: number, lines: string[], tail: string | null = null): CaptureBatch {
    const entries: Entry[] = [];
    const raws: string[] | undefined = this.#opts.keepRaw ? [] : undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const e = this.#entry(line, i < lines.length - 1 || line !== tail);
      if (e === null) continue;
      entries.push(e);
      raws?.push(line);
    }
    this.#nonEntries.report(file, offset, this.#problem);
    return raws ? { entries, file, raws } : { entries, file };
  }

  /**
   * The entry of a line; null when it is not one, and then counted for the frame's report unless `whole` is false:
   * a last line without its newline is the torn tail of a plain file being written.
   */
  #entry(line: string, whole = true): Entry | null {
    const e = decodeEntryLine(line);
    if (e === null && whole) this.#nonEntries.add(line);
    return e;
  }

  /**
   * Search workers pay off for a literal (or case-insensitive ASCII) search over ≥ 2 MiB of indexed zstd frames (parallelSearchMinBytes): each
   * worker then reads, decompresses and memmem-searches whole frames on its own core.
   */
  #searchPool(stored: number): FrameSearchPool | null {
    if (this.#literals === null && this.#fold === undefined) return null;
    return stored > 0 && stored >= parallelSearchMinBytes() ? new FrameSearchPool() : null;
  }

  /** The indexed zstd frame bytes a plan reads. */
  #stored(files: readonly PlannedFile[]): { bytes: number; frames: number } {
    let bytes = 0;
    let frames = 0;
    for (const f of files) {
      if (!isCompressedName(f.name)) continue;
      for (const fr of f.index?.frames ?? []) {
        if (!this.#filter.mayMatchFrame(fr)) continue;
        bytes += fr.length;
        frames++;
      }
    }
    return { bytes, frames };
  }

  /** `onPlan` is told the files to be read before the first batch. */
  async *batches(onPlan?: (files: readonly PlannedFile[]) => void): AsyncGenerator<CaptureBatch> {
    const { plan, later } = this.#planned(onPlan);
    for await (const d of this.#decoded(true, undefined, undefined, plan)) {
      const batch =
        d.lines !== undefined
          ? this.#parseLines(d.unit.file, d.unit.offset, d.lines)
          : this.#literals
            ? this.#parseLines(d.unit.file, d.unit.offset, candidateLines(d.bytes!, this.#literals), tornTail(d.bytes!))
            : this.#parse(d.unit.file, d.unit.offset, decoder.decode(d.bytes!));
      d.release?.();
      batch.laterFrom = later.after(d.unit.file, d.unit.offset);
      if (batch.entries.length > 0) yield batch;
    }
  }

  /**
   * Per frame, the stored-line judge's count (and with `spec.output`, the printable lines as stored) for a pattern
   * of plain literals (`spec.literals`; the reader's `rawPrefilter`, for those literals, only decides whether search
   * workers are used); the lines it is unsure of come back as a batch of parsed entries (`rest`) for the caller to
   * filter and print the general way, each at its place in `out` (`cuts`). `onPlan` is told the files to be read
   * before the first batch.
   */
  async *judged(spec: JudgeSpec, onPlan?: (files: readonly PlannedFile[]) => void): AsyncGenerator<JudgedBatch> {
    const judge = new StoredLineJudge(spec);
    const outputs = new OutputBuffers();
    const { plan, later } = this.#planned(onPlan);
    for await (const d of this.#decoded(true, spec, outputs, plan)) {
      const j = d.judged ?? judgeFrame(d.bytes!, judge, spec.output, outputs);
      const tail = d.bytes === undefined ? null : tornTail(d.bytes);
      d.release?.();
      // An unsure line the general path skips (not an entry) must keep its cut aligned: parse one by one.
      const entries: CaptureBatch["entries"] = [];
      const cuts: number[] = [];
      j.unsure.forEach((line, i) => {
        const e = this.#entry(line, i < j.unsure.length - 1 || line !== tail);
        if (e === null) return;
        entries.push(e);
        cuts.push(j.cuts[i]!);
      });
      this.#nonEntries.report(d.unit.file, d.unit.offset, this.#problem);
      const out = j.out;
      const release = () => out && outputs.giveBack(out.buffer as ArrayBuffer);
      const laterFrom = later.after(d.unit.file, d.unit.offset);
      yield { count: j.count, out, cuts, file: d.unit.file, rest: { entries, file: d.unit.file }, facts: j.facts, services: j.services, release, laterFrom };
    }
  }

  /**
   * The decompressed frames (and plain-file chunks) the plan selects, in order and unparsed, for scanners that work
   * on the stored bytes (triage). Planning, read-ahead and damage reporting are those of `batches()`; the filter
   * only selects files and frames — lines are not filtered.
   */
  async *frames(): AsyncGenerator<RawFrame> {
    for await (const d of this.#decoded(false)) yield { file: d.unit.file, offset: d.unit.offset, bytes: d.bytes!, release: () => d.release?.() };
  }

  #plan(): CapturePlan {
    return this.#opts.files ? { files: this.#opts.files, skippedFiles: 0 } : planCapture(this.#dir, this.#filter);
  }

  /** The plan, told to `onPlan`, and what the batches' `laterFrom` is read from. */
  #planned(onPlan?: (files: readonly PlannedFile[]) => void): { plan: CapturePlan; later: LaterLinesBound } {
    const plan = this.#plan();
    onPlan?.(plan.files);
    return { plan, later: new LaterLinesBound(plan.files, this.#filter) };
  }

  /** `outputs`: the judged output's buffers, which the workers get back with the requests (output-buffers.ts). */
  async *#decoded(searchWorkers: boolean, judge?: JudgeSpec, outputs?: OutputBuffers, plan = this.#plan()): AsyncGenerator<Decoded> {
    this.stats.filesSkipped = plan.skippedFiles;
    const onProblem = this.#problem;
    const { bytes: stored, frames } = this.#stored(plan.files);
    const pool = searchWorkers ? this.#searchPool(stored) : null;
    // A read too small for the search workers is decompressed here too: a few frames into reused buffers take less
    // than handing them to Bun's pool, whose every output is a fresh, page-faulted buffer (frame-decompressor.ts).
    const inline = this.#opts.decompress === "inline" || (pool === null && this.#opts.decompress === undefined && stored < parallelSearchMinBytes());
    // Unindexed files (frames: 0) are read whole and rarely: those stay with Bun's call.
    const inflater = inline ? new FrameDecompressor(handleAfter(frames)) : null;
    // Inline, a frame is decompressed as soon as it is read (start() below), so one input buffer serves every read.
    const input = inflater ? new ReusedReadBuffer() : undefined;
    const units = (function* (dir: string, filter: EntryFilter, stats: CaptureReadStats) {
      for (const f of plan.files) {
        stats.filesRead++;
        yield* readUnits(dir, f, filter, onProblem, pool !== null, input);
      }
    })(this.#dir, this.#filter, this.stats);
    const literals = this.#opts.rawPrefilter?.literals ?? [];
    const start = (unit: ReadUnit | DeferredFrame): Promise<Decoded> =>
      unit.bytes !== undefined
        ? decode(unit, inflater)
        : pool!.search({ path: join(this.#dir, unit.file), offset: unit.offset, length: unit.length, literals, fold: this.#fold, judge, spare: outputs?.drain(2) }).then((r) =>
            r.corrupt !== undefined ? { unit, error: r.corrupt } : { unit, lines: r.lines, judged: r.judged },
          );
    const ahead = Math.max(1, this.#opts.readAhead ?? pool?.window ?? (inflater ? 1 : 4));
    const window: Promise<Decoded>[] = [];
    const refill = () => {
      while (window.length < ahead) {
        const next = units.next();
        if (next.done) return;
        window.push(start(next.value));
      }
    };
    try {
      refill();
      while (window.length > 0) {
        const d = await window.shift()!;
        // Inline decompression never waits, so without this a whole scan would run as one macrotask: timers,
        // signals and other threads' replies (triage's workers wait for theirs to be read) would not get a turn.
        if (inflater) await new Promise((resolve) => setImmediate(resolve));
        refill();
        if (d.error !== undefined) {
          onProblem({ file: d.unit.file, offset: d.unit.offset, kind: "corrupt", detail: `zstd frame does not decode: ${d.error}` });
          continue;
        }
        yield d;
      }
    } finally {
      pool?.close();
    }
  }

  #parse(file: string, offset: number, text: string): CaptureBatch {
    const entries: Entry[] = [];
    const raws: string[] | undefined = this.#opts.keepRaw ? [] : undefined;
    const take = (start: number, end: number) => {
      if (end <= start) return;
      const line = text.slice(start, end);
      const e = this.#entry(line, end < text.length || text.endsWith("\n"));
      if (e === null) return;
      entries.push(e);
      raws?.push(line);
    };
    const pre = this.#opts.rawPrefilter;
    if (pre) {
      pre.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pre.exec(text)) !== null) {
        const start = text.lastIndexOf("\n", m.index - 1) + 1;
        let end = text.indexOf("\n", m.index);
        if (end < 0) end = text.length;
        take(start, end);
        pre.lastIndex = end + 1;
      }
    } else {
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf("\n", start);
        if (end < 0) end = text.length;
        take(start, end);
        start = end + 1;
      }
    }
    this.#nonEntries.report(file, offset, this.#problem);
    return raws ? { entries, file, raws } : { entries, file };
  }
}

/** The last line of a unit when it has no newline (a plain file being written), else null. */
function tornTail(bytes: Uint8Array): string | null {
  if (bytes.length === 0 || bytes[bytes.length - 1] === 10) return null;
  return decoder.decode(bytes.subarray(bytes.lastIndexOf(10) + 1));
}

/** Below this many frames a read leaves them all to Bun: loading node:zlib (22 ms) would cost more than it saves. */
const HANDLE_MIN_FRAMES = 8;

function handleAfter(frames: number): number {
  return frames >= HANDLE_MIN_FRAMES ? 0 : Infinity;
}

/** Decompresses a unit on Bun's thread pool, or (`inline`) on this thread; a frame that does not decode is an error. */
async function decode(unit: ReadUnit, inflater: FrameDecompressor | null): Promise<Decoded> {
  if (!unit.compressed) return { unit, bytes: unit.bytes };
  try {
    if (inflater === null) return { unit, bytes: await Bun.zstdDecompress(unit.bytes) };
    const bytes = inflater.decompress(unit.bytes);
    return { unit, bytes, release: () => inflater.release(bytes) };
  } catch (e) {
    return { unit, error: (e as Error).message };
  }
}
