/**
 * Every position where one of a few ASCII literals starts in a buffer, found by the SIMD module literal-scan.wat at
 * 2.9 GB/s here, where a case-insensitive alternation regex over a latin1 string of the same bytes managed 0.36 GB/s
 * (docs/benchmarks.md, "Keyword scan"). With `fold`, letters match ASCII-case-insensitively — exactly what a JS
 * regex with the `i` flag and without `u` does for ASCII literals, on a latin1 view of the bytes.
 *
 * Keep one scanner per thread and literal set: each instantiates the module (~1 ms) and its first scan grows and
 * faults in memory for five times the input (~4 ms for a 1 MiB frame). The input is copied into that memory.
 */

import { WASM_BASE64 } from "./literal-scan-wasm.ts";

// The memory layout of literal-scan.wat.
const TABLES = 0;
const FOLD = 96;
const LITERAL_COUNT = 128;
const RECORDS = 256;
const RECORD_SIZE = 12;
const LITERAL_BYTES = 1024;
const INPUT = 16384;
/** The module reads up to 18 bytes past the input's end. */
const PADDING = 32;
const BUCKETS = 8;
const PAGE = 65536;

/** Literals one scanner takes: each needs a record before LITERAL_BYTES, and its bytes fit before INPUT. */
export const MAX_LITERALS = (LITERAL_BYTES - RECORDS) / RECORD_SIZE;

let compiled: WebAssembly.Module | null = null;

const isLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

export class LiteralScanner {
  readonly #memory: WebAssembly.Memory;
  readonly #scan: (input: number, length: number, out: number) => number;
  #bytes: Uint8Array;
  #capacity = 0;

  /** @throws RangeError for an empty, non-ASCII or too long literal, or more than MAX_LITERALS. */
  constructor(literals: readonly string[], fold: boolean) {
    if (literals.length === 0 || literals.length > MAX_LITERALS) throw new RangeError(`1 to ${MAX_LITERALS} literals, not ${literals.length}`);
    compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
    const instance = new WebAssembly.Instance(compiled);
    this.#memory = instance.exports.memory as WebAssembly.Memory;
    this.#scan = instance.exports.scan as (input: number, length: number, out: number) => number;
    this.#bytes = new Uint8Array(this.#memory.buffer);
    this.#configure(literals, fold);
  }

  #configure(literals: readonly string[], fold: boolean): void {
    const mem = this.#bytes;
    const view = new DataView(this.#memory.buffer);
    mem.fill(fold ? 0x20 : 0, FOLD, FOLD + 16);
    view.setUint32(LITERAL_COUNT, literals.length, true);
    let at = LITERAL_BYTES;
    literals.forEach((literal, k) => {
      if (literal.length === 0 || !/^[\x00-\x7f]+$/.test(literal)) throw new RangeError(`not a non-empty ASCII literal: ${JSON.stringify(literal)}`);
      if (at + 2 * literal.length > INPUT) throw new RangeError("literals too long for one scanner");
      const bucket = 1 << (k % BUCKETS);
      for (let j = 0; j < 3; j++) {
        const lo = TABLES + 32 * j;
        if (j >= literal.length) {
          // A literal shorter than the fingerprint lets any byte through at the positions it does not have.
          for (let x = 0; x < 32; x++) mem[lo + x]! |= bucket;
          continue;
        }
        let c = literal.charCodeAt(j);
        if (fold) c |= isLetter(c) ? 0x20 : 0;
        // The fingerprint sees bytes OR-ed with the fold vector, so a non-letter is entered as it will be seen.
        const seen = fold ? c | 0x20 : c;
        mem[lo + (seen & 15)]! |= bucket;
        mem[lo + 16 + (seen >> 4)]! |= bucket;
      }
      view.setUint32(RECORDS + RECORD_SIZE * k, at, true);
      view.setUint32(RECORDS + RECORD_SIZE * k + 4, literal.length, true);
      view.setUint32(RECORDS + RECORD_SIZE * k + 8, bucket, true);
      for (let j = 0; j < literal.length; j++) {
        const c = literal.charCodeAt(j);
        const mask = fold && isLetter(c) ? 0x20 : 0;
        mem[at + j] = c | mask;
        mem[at + literal.length + j] = mask;
      }
      at += 2 * literal.length;
    });
  }

  /**
   * The start offsets, in increasing order, of the occurrences in `input` (each offset once). The array is a view
   * of the scanner's memory: valid until the next call.
   */
  scan(input: Uint8Array): Uint32Array {
    this.#reserve(input.length);
    const mem = this.#bytes;
    mem.set(input, INPUT);
    mem.fill(0, INPUT + input.length, INPUT + input.length + PADDING);
    const out = this.#outputAt();
    const count = this.#scan(INPUT, input.length, out);
    return new Uint32Array(this.#memory.buffer, out, count);
  }

  #outputAt(): number {
    return INPUT + this.#capacity + PADDING;
  }

  /** Room for an input of `length` bytes and one offset per byte of it. */
  #reserve(length: number): void {
    if (length <= this.#capacity) return;
    const capacity = Math.max(length, 1 << 20);
    const need = INPUT + capacity + PADDING + 4 * capacity;
    const have = this.#memory.buffer.byteLength;
    if (need > have) this.#memory.grow(Math.ceil((need - have) / PAGE));
    this.#bytes = new Uint8Array(this.#memory.buffer);
    this.#capacity = capacity;
  }
}
