/**
 * The masker's memory of the token pieces it has made: masked text → one string, its skeleton and whether it is a
 * word. The pieces of a capture's lines come from a small vocabulary (`"user":"<EMAIL>",`, `rt=<NUM>`), so a piece
 * seen before costs a hash of its characters and a comparison instead of building its text and skeleton again — and
 * equal pieces are one string, which the miner's comparisons then settle by identity.
 *
 * Open addressing on the hash the masker computes as it walks the piece (`hashChar`), confirmed by the caller against
 * the text. Bounded: emptied when half full, which changes no result (only which string object a piece is).
 */

const BITS = 17;
const SIZE = 1 << BITS;
const SLOT_MASK = SIZE - 1;
const MAX_PIECES = SIZE >> 1;

/** The FNV-1a step every piece hash is built from, one UTF-16 unit at a time. */
export const hashChar = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);
export const HASH_START = 0x811c9dc5 | 0;

export class PieceTable {
  readonly #hashes = new Int32Array(SIZE);
  #texts: (string | undefined)[] = new Array<string | undefined>(SIZE);
  #skeletons: string[] = new Array<string>(SIZE);
  readonly #words = new Uint8Array(SIZE);
  #count = 0;

  /** The first slot to look at for `hash`; follow with `next`. */
  first(hash: number): number {
    return (hash ^ (hash >>> BITS)) & SLOT_MASK;
  }

  next(slot: number): number {
    return (slot + 1) & SLOT_MASK;
  }

  /** The piece in a slot (undefined: the slot is free, and the piece is not in the table). */
  text(slot: number): string | undefined {
    return this.#texts[slot];
  }

  hash(slot: number): number {
    return this.#hashes[slot]!;
  }

  skeleton(slot: number): string {
    return this.#skeletons[slot]!;
  }

  word(slot: number): boolean {
    return this.#words[slot] === 1;
  }

  /** Stores a piece in the free slot its lookup ended at; returns the slot it is in (the table may have been emptied). */
  put(slot: number, hash: number, text: string, skeleton: string, word: boolean): number {
    if (this.#count >= MAX_PIECES) {
      this.#texts = new Array<string | undefined>(SIZE);
      this.#skeletons = new Array<string>(SIZE);
      this.#count = 0;
      slot = this.first(hash);
    }
    this.#count++;
    this.#hashes[slot] = hash;
    this.#texts[slot] = text;
    this.#skeletons[slot] = skeleton;
    this.#words[slot] = word ? 1 : 0;
    return slot;
  }
}
