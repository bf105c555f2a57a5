/**
 * An entry batch in a form that crosses threads cheaply: structured cloning thousands of small objects costs the
 * receiving thread about as much as decoding them did, so timestamps travel as typed arrays (moved, not copied),
 * messages as one string with offsets, and each label set once. Unpacking re-interns label sets, so entries keep
 * sharing one labels object per stream on the receiving side too.
 */

import { internSortedPairs } from "../src/protocols/labels-interner.ts";
import { packStrings, packedString, type PackedStrings } from "../src/workers/packed-strings.ts";
import type { Entry, Labels } from "../src/model/entry.ts";

export interface PackedEntries {
  count: number;
  /** Each distinct label set once, as a name-sorted flat `[name, value, …]` list. */
  labelSets: string[][];
  labelSetOf: Uint32Array;
  sec: Float64Array;
  nsec: Uint32Array;
  msgs: PackedStrings;
  /** Entries with structured metadata: index → metadata. */
  metas: [number, Readonly<Record<string, string>>][];
  /** UTF-8 bytes of all messages (what the audit line counts), computed on the packing side. */
  msgBytes: number;
}

export function packEntries(entries: Entry[]): { packed: PackedEntries; transfer: ArrayBuffer[] } {
  const n = entries.length;
  const labelSets: string[][] = [];
  const setIndex = new Map<Labels, number>();
  const labelSetOf = new Uint32Array(n);
  const sec = new Float64Array(n);
  const nsec = new Uint32Array(n);
  const parts: string[] = new Array(n);
  const metas: [number, Readonly<Record<string, string>>][] = [];
  let msgBytes = 0;
  let lastLabels: Labels | null = null;
  let lastIndex = 0;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    if (e.labels !== lastLabels) {
      lastLabels = e.labels;
      let idx = setIndex.get(e.labels);
      if (idx === undefined) {
        idx = labelSets.length;
        setIndex.set(e.labels, idx);
        labelSets.push(Object.entries(e.labels).flat());
      }
      lastIndex = idx;
    }
    labelSetOf[i] = lastIndex;
    sec[i] = e.sec;
    nsec[i] = e.nsec;
    parts[i] = e.msg;
    msgBytes += Buffer.byteLength(e.msg);
    if (e.meta !== undefined) metas.push([i, e.meta]);
  }
  const msgs = packStrings(parts);
  return {
    packed: { count: n, labelSets, labelSetOf, sec, nsec, msgs, metas, msgBytes },
    transfer: [labelSetOf.buffer, sec.buffer, nsec.buffer, msgs.ends.buffer],
  };
}

export function unpackEntries(p: PackedEntries): Entry[] {
  const sets = p.labelSets.map(internSortedPairs);
  const entries: Entry[] = new Array(p.count);
  for (let i = 0; i < p.count; i++) {
    entries[i] = { sec: p.sec[i]!, nsec: p.nsec[i]!, labels: sets[p.labelSetOf[i]!]!, msg: packedString(p.msgs, i) };
  }
  for (const [i, meta] of p.metas) entries[i] = { ...entries[i]!, meta };
  return entries;
}
