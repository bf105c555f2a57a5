/**
 * Reads a capture for a filter: plans files and frames (index-driven skipping), decompresses up to a few frames
 * ahead on Bun's thread pool (so both cores work), and parses lines into entries. With a raw prefilter, only lines
 * whose stored text matches it are parsed at all — the fast path for searches.
 */

import type { Entry } from "../../../pipeline/entry.ts";
import type { CaptureBatch } from "../../../pipeline/capture-batch.ts";
import { decodeEntryLine } from "../entry-line.ts";
import { EntryFilter } from "../filters/entry-filter.ts";
import { planCapture, readUnits, type PlannedFile, type ReadUnit } from "./read-plan.ts";
import type { ReadProblem } from "./read-problem.ts";
import type { PrefilterRegExp } from "../../regex/required-literals.ts";

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
   * Read these planned files instead of planning the directory: a share of a plan made once by the caller (one
   * parallel worker's files, or some of the frames of one file), so the directory and index are not re-read per share.
   */
  files?: readonly PlannedFile[];
}

export class CaptureReadError extends Error {}

const decoder = new TextDecoder();

interface Decoded {
  unit: ReadUnit;
  bytes?: Uint8Array;
  error?: string;
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

  constructor(dir: string, opts: CaptureReadOptions = {}) {
    this.#dir = dir;
    this.#opts = opts;
    this.#filter = opts.filter ?? new EntryFilter();
    const lits = opts.rawPrefilter?.literals;
    // Few case-sensitive literals are found fastest as bytes (memmem), without turning whole frames into strings.
    this.#literals = lits && lits.length <= 4 ? lits.map((l) => Buffer.from(l)) : null;
  }

  /** Decodes only the lines that contain one of the literals; every other line of the frame is never a string. */
  #parseCandidates(file: string, bytes: Uint8Array, literals: Buffer[]): CaptureBatch {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const starts: number[] = [];
    for (const lit of literals) {
      let at = buf.indexOf(lit);
      while (at >= 0) {
        const start = buf.lastIndexOf(10, at) + 1;
        let end = buf.indexOf(10, at);
        if (end < 0) end = buf.length;
        starts.push(start, end);
        at = buf.indexOf(lit, end);
      }
    }
    if (literals.length > 1) {
      // Several literals can hit one line; keep each line once, in file order.
      const pairs: [number, number][] = [];
      for (let i = 0; i < starts.length; i += 2) pairs.push([starts[i]!, starts[i + 1]!]);
      pairs.sort((a, b) => a[0] - b[0]);
      starts.length = 0;
      for (const [s, e] of pairs) if (starts.length === 0 || starts[starts.length - 2] !== s) starts.push(s, e);
    }
    const entries: Entry[] = [];
    const raws: string[] | undefined = this.#opts.keepRaw ? [] : undefined;
    for (let i = 0; i < starts.length; i += 2) {
      const line = decoder.decode(buf.subarray(starts[i]!, starts[i + 1]!));
      const e = decodeEntryLine(line);
      if (e === null) continue;
      entries.push(e);
      raws?.push(line);
    }
    return raws ? { entries, file, raws } : { entries, file };
  }

  async *batches(): AsyncGenerator<CaptureBatch> {
    const plan = this.#opts.files ? { files: this.#opts.files, skippedFiles: 0 } : planCapture(this.#dir, this.#filter);
    this.stats.filesSkipped = plan.skippedFiles;
    const onProblem = (p: ReadProblem) => {
      this.stats.problems.push(p);
      this.#opts.onProblem?.(p);
    };
    const units = (function* (dir: string, filter: EntryFilter, stats: CaptureReadStats) {
      for (const f of plan.files) {
        stats.filesRead++;
        yield* readUnits(dir, f, filter, onProblem);
      }
    })(this.#dir, this.#filter, this.stats);
    const ahead = Math.max(1, this.#opts.readAhead ?? 4);
    const window: Promise<Decoded>[] = [];
    const refill = () => {
      while (window.length < ahead) {
        const next = units.next();
        if (next.done) return;
        window.push(decode(next.value));
      }
    };
    refill();
    while (window.length > 0) {
      const d = await window.shift()!;
      refill();
      if (d.error !== undefined) {
        onProblem({ file: d.unit.file, offset: d.unit.offset, kind: "corrupt", detail: `zstd frame does not decode: ${d.error}` });
        continue;
      }
      const batch = this.#literals ? this.#parseCandidates(d.unit.file, d.bytes!, this.#literals) : this.#parse(d.unit.file, decoder.decode(d.bytes!));
      if (batch.entries.length > 0) yield batch;
    }
  }

  #parse(file: string, text: string): CaptureBatch {
    const entries: Entry[] = [];
    const raws: string[] | undefined = this.#opts.keepRaw ? [] : undefined;
    const take = (start: number, end: number) => {
      if (end <= start) return;
      const line = text.slice(start, end);
      const e = decodeEntryLine(line);
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
    return raws ? { entries, file, raws } : { entries, file };
  }
}

async function decode(unit: ReadUnit): Promise<Decoded> {
  if (!unit.compressed) return { unit, bytes: unit.bytes };
  try {
    return { unit, bytes: await Bun.zstdDecompress(unit.bytes) };
  } catch (e) {
    return { unit, error: (e as Error).message };
  }
}
