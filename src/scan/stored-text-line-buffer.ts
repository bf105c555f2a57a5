/**
 * grep's text output buffer, in the memory of stored-text-line.wat, which writes a stored line's text line into it
 * (`writeStoredLine`) from one copy of the line's bytes; other text is written into `bytes` directly, and `bytes` is
 * what goes to stdout.
 *
 * Memory: the buffer and 16 bytes the module may overwrite past what it writes, the scratch a stored line is copied
 * into (as long as the buffer) and 16 bytes it may read past, then the services' texts (16 bytes apart at least), which
 * move when the buffer grows.
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
  /** The services' texts (between clock and message), by id, and where they are in the memory. */
  readonly #services: Uint8Array[] = [];
  readonly #serviceAt: number[] = [];
  #size = 0;
  /** All of the memory (a new view whenever it grows: growing detaches the old one). */
  #all = Buffer.alloc(0);
  /** The buffer; a new view after `reserve` grows it. */
  bytes = Buffer.alloc(0);

  constructor(size: number) {
    compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
    this.#wasm = new WebAssembly.Instance(compiled).exports as unknown as Exports;
    this.reserve(size);
  }

  /** A service's text (between the clock and the message) for `writeStoredLine`; returns its id. */
  addService(text: Uint8Array): number {
    const at = this.#services.length === 0 ? this.#servicesStart() : align(this.#serviceAt.at(-1)! + this.#services.at(-1)!.length + SLACK);
    this.#grow(at + text.length + SLACK);
    this.#all.set(text, at);
    this.#serviceAt.push(at);
    return this.#services.push(text) - 1;
  }

  /** Makes `bytes` at least `size` long, and room for a stored line of up to `size` bytes. */
  reserve(size: number): void {
    if (size <= this.#size) return;
    this.#size = size;
    // The services follow the scratch: they move.
    let at = this.#servicesStart();
    this.#services.forEach((text, i) => {
      this.#serviceAt[i] = at;
      at = align(at + text.length + SLACK);
    });
    this.#grow(at);
    this.#services.forEach((text, i) => this.#all.set(text, this.#serviceAt[i]!));
  }

  /**
   * Writes at bytes[p] the text line of the stored line in `src` whose timestamp starts at `ts` and whose message
   * body is [msg, end) (escapes as the stored-line judge lets through: the short ones, \u of BMP code points that
   * are not surrogates); returns where it ends. From `ts` to `end` must fit the buffer, and so must the line.
   */
  writeStoredLine(src: Buffer, ts: number, msg: number, end: number, service: number, p: number): number {
    const scratch = this.#scratch();
    src.copy(this.#all, scratch, ts, end);
    return this.#wasm.textLine(scratch, scratch + (msg - ts), scratch + (end - ts), this.#serviceAt[service]!, this.#services[service]!.length, p);
  }

  #scratch(): number {
    return align(this.#size + SLACK);
  }

  #servicesStart(): number {
    return align(this.#scratch() + this.#size + SLACK);
  }

  /** Memory up to `end`, and views of it. */
  #grow(end: number): void {
    const have = this.#wasm.memory.buffer.byteLength;
    if (end > have) this.#wasm.memory.grow(Math.ceil((end - have) / PAGE));
    if (this.#all.buffer !== this.#wasm.memory.buffer) this.#all = Buffer.from(this.#wasm.memory.buffer);
    if (this.bytes.buffer !== this.#all.buffer || this.bytes.length !== this.#size) this.bytes = this.#all.subarray(0, this.#size);
  }
}
