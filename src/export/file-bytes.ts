/**
 * A buffered, synchronous file writer: appends go to a 1 MiB buffer that is written out when full. Export writes are
 * small and many; one write call per megabyte keeps the system-call cost negligible. A file continued (`append`) is
 * written at positions; a new one in sequence, so that it can be a stream (`--out /dev/stdout`, a FIFO).
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { FILE_MODE } from "../capture/file-modes.ts";

const encoder = new TextEncoder();

export class FileBytes {
  readonly path: string;
  #fd: number;
  #buf: Uint8Array;
  #used = 0;
  #pos: number;
  readonly #positional: boolean;
  #closed = false;

  /** `append` continues an existing file (its size is where writing resumes); otherwise the file is created or truncated. */
  constructor(path: string, opts: { append?: boolean; appendAt?: number; bufferBytes?: number } = {}) {
    this.path = path;
    this.#fd = openSync(path, opts.append ? "r+" : "w", FILE_MODE);
    this.#pos = opts.append ? (opts.appendAt ?? 0) : 0;
    this.#positional = opts.append === true;
    this.#buf = new Uint8Array(opts.bufferBytes ?? 1 << 20);
  }

  /** Bytes in the file once everything buffered is written. */
  get size(): number {
    return this.#pos + this.#used;
  }

  get bufferedBytes(): number {
    return this.#used;
  }

  writeString(s: string): void {
    // Worst case 3 bytes per UTF-16 unit; encode straight into the buffer when it surely fits.
    if (s.length * 3 <= this.#buf.length - this.#used) {
      this.#used += encoder.encodeInto(s, this.#buf.subarray(this.#used)).written;
      return;
    }
    this.writeBytes(encoder.encode(s));
  }

  writeBytes(bytes: Uint8Array): void {
    if (bytes.length > this.#buf.length - this.#used) {
      this.flush();
      if (bytes.length >= this.#buf.length) {
        this.#writeOut(bytes);
        return;
      }
    }
    this.#buf.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  flush(): void {
    if (this.#used === 0) return;
    this.#writeOut(this.#buf.subarray(0, this.#used));
    this.#used = 0;
  }

  /** Writes what is buffered and closes the descriptor; returns the file size. */
  close(): number {
    if (this.#closed) return this.#pos;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      closeSync(this.#fd);
    }
    return this.#pos;
  }

  /** Closes without writing the buffer (the file is about to be deleted). */
  discard(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#used = 0;
    try {
      closeSync(this.#fd);
    } catch {
      // already unusable
    }
  }

  #writeOut(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      const n = writeSync(this.#fd, bytes, off, bytes.length - off, this.#positional ? this.#pos : null);
      off += n;
      this.#pos += n;
    }
  }
}
