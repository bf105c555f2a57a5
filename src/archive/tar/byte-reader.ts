/** Exact-length reads over a byte stream whose chunks have arbitrary sizes (what a tar parser needs). */

export class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** Reads until `n` bytes are buffered or the stream ends; returns whether `n` bytes are available. */
  async #fill(n: number): Promise<boolean> {
    while (this.#buffered < n && !this.#ended) {
      const { done, value } = await this.#reader.read();
      if (done) this.#ended = true;
      else if (value.length > 0) {
        this.#chunks.push(value);
        this.#buffered += value.length;
      }
    }
    return this.#buffered >= n;
  }

  #take(n: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      this.#buffered -= n;
      return out;
    }
    const out = new Uint8Array(n);
    for (let off = 0; off < n; ) {
      const part = this.#take(Math.min(n - off, this.#chunks[0]!.length));
      out.set(part, off);
      off += part.length;
    }
    return out;
  }

  /** Exactly `n` bytes; `null` at a clean end of stream; throws if the stream ends part-way. */
  async read(n: number): Promise<Uint8Array | null> {
    if (!(await this.#fill(n))) {
      if (this.#buffered === 0) return null;
      throw new Error("unexpected end of archive");
    }
    return this.#take(n);
  }

  /** `n` bytes as they arrive, in pieces valid until the next call. Throws if the stream ends first. */
  async *pieces(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (!(await this.#fill(1))) throw new Error("unexpected end of archive");
      const piece = this.#take(Math.min(left, this.#chunks[0]!.length));
      left -= piece.length;
      yield piece;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.pieces(n));
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
