/**
 * grep's text output buffer, in the memory of stored-text-line.wat, which writes a stored line's text line into it
 * (`writeStoredLine`) from one copy of the line's bytes; other text is written into `bytes` directly, and `bytes` is
 * what goes to stdout.
 *
 * Memory: the services (each padded, 16 bytes apart at least), the buffer and 16 bytes the module may overwrite past
 * what it writes, then the scratch a stored line is copied into (as long as the buffer) and 16 bytes it may read past.
 */

import { WASM_BASE64 } from "./stored-text-line-wasm.ts";

const PAGE = 65536;
const SLACK = 16;

interface Exports {
  memory: WebAssembly.Memory;
  textLine(ts: number, msg: number, end: number, service: number, serviceLength: number, out: number): number;
}

let compiled: WebAssembly.Module | null = null;

const align = (n: number) => (n + 15) & ~15;

export class StoredTextLineBuffer {
  readonly #wasm: Exports;
  readonly #serviceAt: number[] = [];
  readonly #serviceLength: number[] = [];
  /** Where the buffer starts in the memory. */
  readonly #start: number;
  #size = 0;
  /** All of the memory (a new view whenever it grows: growing detaches the old one). */
  #all = Buffer.alloc(0);
  /** The buffer; a new view after `reserve` grows it. */
  bytes = Buffer.alloc(0);

  /** `services`: the text between the clock and the message, by service id. */
  constructor(services: readonly Uint8Array[], size: number) {
    compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
    this.#wasm = new WebAssembly.Instance(compiled).exports as unknown as Exports;
    let at = 0;
    for (const s of services) {
      this.#serviceAt.push(at);
      this.#serviceLength.push(s.length);
      at = align(at + s.length + SLACK);
    }
    this.#start = at;
    this.reserve(size);
    services.forEach((s, i) => this.#all.set(s, this.#serviceAt[i]!));
  }

  /** Makes `bytes` at least `size` long, and room for a stored line of up to `size` bytes. */
  reserve(size: number): void {
    if (size <= this.#size) return;
    this.#size = size;
    const end = this.#scratch() + size + SLACK;
    const have = this.#wasm.memory.buffer.byteLength;
    if (end > have) this.#wasm.memory.grow(Math.ceil((end - have) / PAGE));
    this.#all = Buffer.from(this.#wasm.memory.buffer);
    this.bytes = this.#all.subarray(this.#start, this.#start + size);
  }

  /**
   * Writes at bytes[p] the text line of the stored line in `src` whose timestamp starts at `ts` and whose message
   * body is [msg, end) (escapes as the stored-line judge lets through: the short ones, \u of BMP code points that
   * are not surrogates); returns where it ends. From `ts` to `end` must fit the buffer, and so must the line.
   */
  writeStoredLine(src: Buffer, ts: number, msg: number, end: number, service: number, p: number): number {
    const scratch = this.#scratch();
    src.copy(this.#all, scratch, ts, end);
    const start = this.#start;
    const written = this.#wasm.textLine(scratch, scratch + (msg - ts), scratch + (end - ts), this.#serviceAt[service]!, this.#serviceLength[service]!, start + p);
    return written - start;
  }

  #scratch(): number {
    return align(this.#start + this.#size + SLACK);
  }
}
