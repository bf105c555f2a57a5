/**
 * A fixed-capacity ring of the newest items (the TUIs' last `--tui-buffer` log entries): pushing past capacity
 * overwrites the oldest. `version` changes on every push, so a view can tell cheaply whether it must re-read.
 *
 * @example
 * const ring = new RingBuffer<string>(3);
 * ring.pushAll(["a", "b", "c", "d"]);
 * ring.toArray(); // ["b", "c", "d"]
 */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  /** Index of the slot the next push writes. */
  #head = 0;
  #length = 0;
  /** Items ever pushed; also the version. */
  #pushed = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Changes whenever an item is pushed. */
  get version(): number {
    return this.#pushed;
  }

  /** Items pushed since the ring was made (including those overwritten since). */
  get pushed(): number {
    return this.#pushed;
  }

  push(item: T): void {
    this.#items[this.#head] = item;
    this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
    if (this.#length < this.capacity) this.#length++;
    this.#pushed++;
  }

  pushAll(items: readonly T[]): void {
    // Only the newest `capacity` items can survive; skip the rest.
    const from = Math.max(0, items.length - this.capacity);
    for (let i = from; i < items.length; i++) this.push(items[i]!);
    this.#pushed += from;
  }

  /** i = 0 is the oldest item held. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.#length) return undefined;
    let slot = this.#head - this.#length + i;
    if (slot < 0) slot += this.capacity;
    return this.#items[slot];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.#length);
    let slot = this.#head - this.#length;
    if (slot < 0) slot += this.capacity;
    for (let i = 0; i < this.#length; i++) {
      out[i] = this.#items[slot]!;
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
    }
    return out;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#length = 0;
    this.#pushed++;
  }
}
