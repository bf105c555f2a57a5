/**
 * A unit's signature list in a form that crosses threads cheaply. Thousands of [signature, count, first seen,
 * example] tuples cost the worker ~8 ms per unit to structure-clone and the main thread as much to read — 12 % of a
 * worker's time on a capture whose error lines are nearly all distinct. As one string with offsets and numbers in
 * typed arrays (moved, not copied) they cost well under a millisecond.
 */

import { packStrings, packedString, type PackedStrings } from "../../workers/packed-strings.ts";
import type { TallyWire } from "./unit-tally.ts";

export interface PackedSignatures {
  /** Every signature, then every example. */
  strings: PackedStrings;
  /** [count, first sec, first nsec] per signature. */
  numbers: Float64Array;
}

type Signatures = TallyWire["signatures"];

export function packSignatures(signatures: Signatures): { packed: PackedSignatures; transfer: ArrayBuffer[] } {
  const n = signatures.length;
  const strings: string[] = new Array(2 * n);
  const numbers = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const [sig, count, sec, nsec, example] = signatures[i]!;
    strings[i] = sig;
    strings[n + i] = example;
    numbers[3 * i] = count;
    numbers[3 * i + 1] = sec;
    numbers[3 * i + 2] = nsec;
  }
  const packed = { strings: packStrings(strings), numbers };
  return { packed, transfer: [packed.strings.ends.buffer, numbers.buffer] };
}

export function unpackSignatures(p: PackedSignatures): Signatures {
  const n = p.numbers.length / 3;
  const out: Signatures = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = [packedString(p.strings, i), p.numbers[3 * i]!, p.numbers[3 * i + 1]!, p.numbers[3 * i + 2]!, packedString(p.strings, n + i)];
  }
  return out;
}
