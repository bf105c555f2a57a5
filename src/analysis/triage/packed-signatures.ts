/**
 * A unit's signature list in a form that crosses threads cheaply. Thousands of [signature, count] pairs cost the
 * worker milliseconds per unit to structure-clone and the main thread as much to read, on a capture whose error lines
 * are nearly all distinct. As one string with offsets and the counts in a typed array (moved, not copied) they cost
 * a fraction of that.
 */

import { packStrings, packedString, type PackedStrings } from "../../workers/packed-strings.ts";
import type { TallyWire } from "./unit-tally.ts";

export interface PackedSignatures {
  strings: PackedStrings;
  counts: Float64Array;
}

type Signatures = TallyWire["signatures"];

export function packSignatures(signatures: Signatures): { packed: PackedSignatures; transfer: ArrayBuffer[] } {
  const n = signatures.length;
  const strings: string[] = new Array(n);
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    strings[i] = signatures[i]![0];
    counts[i] = signatures[i]![1];
  }
  const packed = { strings: packStrings(strings), counts };
  return { packed, transfer: [packed.strings.ends.buffer, counts.buffer] };
}

export function unpackSignatures(p: PackedSignatures): Signatures {
  const n = p.counts.length;
  const out: Signatures = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [packedString(p.strings, i), p.counts[i]!];
  return out;
}
