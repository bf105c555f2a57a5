/**
 * A unit's signature list in a form that crosses threads cheaply. Thousands of [signature, count, first seen,
 * example] tuples cost the worker ~8 ms per unit to structure-clone and the main thread as much to read — 12 % of a
 * worker's time on a capture whose error lines are nearly all distinct. As one string with offsets and numbers in
 * typed arrays (moved, not copied) they cost well under a millisecond.
 */

import type { TallyWire } from "./unit-tally.ts";

export interface PackedSignatures {
  /** Every signature, then every example, concatenated; `ends` has the end offset of each (signatures first). */
  text: string;
  ends: Uint32Array;
  /** [count, first sec, first nsec] per signature. */
  numbers: Float64Array;
}

type Signatures = TallyWire["signatures"];

export function packSignatures(signatures: Signatures): { packed: PackedSignatures; transfer: ArrayBuffer[] } {
  const n = signatures.length;
  const parts: string[] = new Array(2 * n);
  const ends = new Uint32Array(2 * n);
  const numbers = new Float64Array(3 * n);
  let end = 0;
  for (let i = 0; i < n; i++) {
    const [sig, count, sec, nsec] = signatures[i]!;
    parts[i] = sig;
    end += sig.length;
    ends[i] = end;
    numbers[3 * i] = count;
    numbers[3 * i + 1] = sec;
    numbers[3 * i + 2] = nsec;
  }
  for (let i = 0; i < n; i++) {
    const example = signatures[i]![4];
    parts[n + i] = example;
    end += example.length;
    ends[n + i] = end;
  }
  return { packed: { text: parts.join(""), ends, numbers }, transfer: [ends.buffer, numbers.buffer] };
}

export function unpackSignatures(p: PackedSignatures): Signatures {
  const n = p.numbers.length / 3;
  const at = (k: number) => p.text.slice(k === 0 ? 0 : p.ends[k - 1]!, p.ends[k]!);
  const out: Signatures = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [at(i), p.numbers[3 * i]!, p.numbers[3 * i + 1]!, p.numbers[3 * i + 2]!, at(n + i)];
  return out;
}
