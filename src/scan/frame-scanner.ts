/**
 * The stored-line judge's scans of one frame with the SIMD module frame-scan.wat: the lines holding one of a few
 * literals, each such line's shape, and where a JSON string ends; see the module for what the answers mean. A frame
 * is copied into the module's memory (`load`) unless it was decompressed there (`frameTarget`); the judge
 * (stored-line-judge.ts) decides which frames are worth it.
 *
 * One per thread is enough (instantiating costs ~1 ms).
 */

import { WASM_BASE64 } from "./frame-scan-wasm.ts";
import { MSG_KEY } from "../capture/stored-line-bytes.ts";

/** The module reads whole 16-byte blocks past a bound, and the literal search a literal's length further. */
const PADDING = 64;
const PAGE = 65536;
/** Longest literal `candidateLines` takes (the padding must cover a block read at a literal's last byte). */
export const MAX_LITERAL = 32;
/** Most literals `candidateLines` takes at once (each is tested at every position). */
export const MAX_LITERALS = 4;
/** A literal's record in the module's table (frame-scan.wat, $findAny). */
const RECORD = 144;

/** `closingQuote` flags. */
export const HTML_UNSURE = 1;
export const HIGH_TO_CALLER = 2;
/** `closingQuote`: the caller must read this string itself. */
export const CALLER_READS = -2;

interface Exports {
  memory: WebAssembly.Memory;
  closingQuote(from: number, end: number, flags: number): number;
  candidateLines(n: number, table: number, count: number, out: number, hits: number): number;
  shapes(ranges: number, hits: number, count: number, flags: number, table: number, literals: number, out: number): void;
}

/** i32 per line that `shapes` writes. */
export const SHAPE_FIELDS = 8;

let compiled: WebAssembly.Module | null = null;

// The memory after a frame of `size` bytes: its padding, the literal table (`,"msg":"` for `shapes`, then the
// literals), then candidateLines' [start, end) pairs (at most one per two bytes: a line with a literal holds at
// least one byte and its newline) and a hit per pair, and `shapes`' SHAPE_FIELDS i32 per pair.
function tableAt(size: number): number {
  return (size + PADDING + 15) & ~15;
}

function pairsAt(size: number): number {
  return tableAt(size) + RECORD * (1 + MAX_LITERALS);
}

function hitsAt(size: number): number {
  return pairsAt(size) + 4 * size;
}

function shapesAt(size: number): number {
  return (hitsAt(size) + 2 * size + 7) & ~7;
}


/** Writes a literal's record (frame-scan.wat, $findAny); `fold`: its lower-case letters match either case. */
function writeRecord(mem: Uint8Array, at: number, literal: Uint8Array, fold: boolean): void {
  const mask = (c: number) => (fold && c >= 0x61 && c <= 0x7a ? 0x20 : 0);
  const last = literal[literal.length - 1]!;
  mem.fill(literal[0]!, at, at + 16);
  mem.fill(mask(literal[0]!), at + 16, at + 32);
  mem.fill(last, at + 32, at + 48);
  mem.fill(mask(last), at + 48, at + 64);
  new DataView(mem.buffer, mem.byteOffset).setUint32(at + 64, literal.length, true);
  mem.set(literal, at + 80);
  for (let j = 0; j < literal.length; j++) mem[at + 112 + j] = mask(literal[j]!);
}

export class FrameScanner {
  readonly #wasm: Exports;
  #loaded: Uint8Array | null = null;
  #literals = 0;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
    this.#wasm = new WebAssembly.Instance(compiled).exports as unknown as Exports;
  }

  /**
   * Memory for a frame of `size` bytes to be written into (decompressed) before it is loaded, which spares `load`
   * the copy. Valid until the next call.
   */
  frameTarget(size: number): Uint8Array {
    this.#reserve(size);
    return new Uint8Array(this.#wasm.memory.buffer, 0, size);
  }

  /** Copies `frame` in (unless it is there, from `frameTarget`), so the scans read it at its offsets; null forgets it. */
  load(frame: Uint8Array | null): void {
    this.#loaded = frame;
    if (frame === null) return;
    const inPlace = frame.buffer === this.#wasm.memory.buffer && frame.byteOffset === 0;
    // Growing would detach the memory a frame written in place lives in; frameTarget reserved the room already.
    if (!inPlace) this.#reserve(frame.length);
    const mem = new Uint8Array(this.#wasm.memory.buffer);
    if (!inPlace) mem.set(frame, 0);
    mem.fill(0, frame.length, frame.length + PADDING);
  }

  /** Whether `frame` is the one loaded. */
  holds(frame: Uint8Array): boolean {
    return this.#loaded === frame;
  }

  /**
   * Flat [start, end, …] byte ranges (without the newline) of the loaded frame's lines that hold one of `literals`
   * (1 to MAX_LITERALS, ASCII, no newline, 1 to MAX_LITERAL bytes; with `fold`, lower case, and they match
   * ASCII-case-insensitively), each line once, in order. A view of the scanner's memory: valid until the next `load`.
   */
  candidateLines(literals: readonly Uint8Array[], fold: boolean): Uint32Array {
    const frame = this.#loaded!;
    const table = tableAt(frame.length);
    const mem = new Uint8Array(this.#wasm.memory.buffer);
    writeRecord(mem, table, MSG_KEY, false);
    literals.forEach((l, k) => writeRecord(mem, table + RECORD * (1 + k), l, fold));
    this.#literals = literals.length;
    const out = pairsAt(frame.length);
    const count = this.#wasm.candidateLines(frame.length, table + RECORD, literals.length, out, hitsAt(frame.length));
    return new Uint32Array(this.#wasm.memory.buffer, out, 2 * count);
  }

  /**
   * The shape of each line `candidateLines` just gave (`pairs` is its answer), SHAPE_FIELDS i32 per line, as
   * frame-scan.wat's `shapes` describes; `flags` as closingQuote's. A view of the scanner's memory, valid until the
   * next `load`.
   */
  shapes(pairs: Uint32Array, flags: number): Int32Array {
    const size = this.#loaded!.length;
    const out = shapesAt(size);
    this.#wasm.shapes(pairs.byteOffset, hitsAt(size), pairs.length / 2, flags, tableAt(size), this.#literals, out);
    return new Int32Array(this.#wasm.memory.buffer, out, SHAPE_FIELDS * (pairs.length / 2));
  }

  /**
   * The offset of the quote that ends the string whose content starts at `from`, before `end`; -1 when it is not
   * a string to vouch for, CALLER_READS when the caller must decide (frame-scan.wat).
   */
  closingQuote(from: number, end: number, flags: number): number {
    return this.#wasm.closingQuote(from, end, flags);
  }

  /** Room for a frame of `size` bytes and what follows it (pairsAt). Pages never written are never touched. */
  #reserve(size: number): void {
    const bytes = shapesAt(size) + 4 * SHAPE_FIELDS * (size / 2 + 1);
    const have = this.#wasm.memory.buffer.byteLength;
    if (bytes > have) this.#wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}
