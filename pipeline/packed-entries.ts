/**
 * An entry batch in a form that crosses threads cheaply: structured cloning thousands of small objects costs the
 * receiving thread about as much as decoding them did, so timestamps travel as typed arrays (moved, not copied),
 * messages as one string with offsets, and each label set once. Unpacking re-interns label sets, so entries keep
 * sharing one labels object per stream on the receiving side too.
 */

import { internSortedPairs } from "../src/protocols/labels-interner.ts";
import type { Entry, Labels } from "./entry.ts";

export interface PackedEntries {
  count: number;
  /** Each distinct label set once, as a name-sorted flat `[name, value, …]` list. */
  labelSets: string[][];
  labelSetOf: Uint32Array;
  sec: Float64Array;
  nsec: Uint32Array;
  /** Every message concatenated; message i is `msgs.slice(msgEnd[i-1], msgEnd[i])` (UTF-16 offsets). */
  msgs: string;
  msgEnd: Uint32Array;
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
  const msgEnd = new Uint32Array(n);
  const parts: string[] = new Array(n);
  const metas: [number, Readonly<Record<string, string>>][] = [];
  let end = 0;
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
    end += e.msg.length;
    msgEnd[i] = end;
    msgBytes += Buffer.byteLength(e.msg);
    if (e.meta !== undefined) metas.push([i, e.meta]);
  }
  return {
    packed: { count: n, labelSets, labelSetOf, sec, nsec, msgs: parts.join(""), msgEnd, metas, msgBytes },
    transfer: [labelSetOf.buffer, sec.buffer, nsec.buffer, msgEnd.buffer],
  };
}

export function unpackEntries(p: PackedEntries): Entry[] {
  const sets = p.labelSets.map(internSortedPairs);
  const entries: Entry[] = new Array(p.count);
  let start = 0;
  for (let i = 0; i < p.count; i++) {
    const end = p.msgEnd[i]!;
    entries[i] = { sec: p.sec[i]!, nsec: p.nsec[i]!, labels: sets[p.labelSetOf[i]!]!, msg: p.msgs.slice(start, end) };
    start = end;
  }
  for (const [i, meta] of p.metas) entries[i] = { ...entries[i]!, meta };
  return entries;
}
