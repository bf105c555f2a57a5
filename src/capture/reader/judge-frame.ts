/**
 * One decompressed frame through the stored-line judge: the candidate lines (those holding one of the judge's
 * needles, found by the judge: `judgeLines`) are counted, and with `output` copied as stored into one buffer; the
 * few the judge is unsure of go back as strings, with where they belong, for the general path. Runs on the search
 * workers or, for frames read in-thread, on the main thread.
 */

import type { OutputBuffers } from "./output-buffers.ts";
import { FACT_FIELDS, FACT_LINE, FACT_MSG_END, FACT_MSG_START, FACT_SERVICE, MATCH, UNSURE, type StoredLineJudge } from "./stored-line-judge.ts";

export interface JudgedFrame {
  /** Lines the judge found matching. */
  count: number;
  /** With output: those lines as stored, each with its newline, in file order. */
  out?: Uint8Array;
  /** The lines the general path must decide… */
  unsure: string[];
  /** …and for each, the offset in `out` where it belongs. */
  cuts: number[];
  /**
   * With the judge's `facts`: FACT_FIELDS per line of `out`, in order, its positions offsets in `out` and its
   * FACT_SERVICE an index in `services`.
   */
  facts?: Float64Array;
  services?: string[];
}

const decoder = new TextDecoder();

/** `buffers`: where the output goes (a buffer used before, once given back). */
export function judgeFrame(bytes: Uint8Array, judge: StoredLineJudge, output: boolean, buffers: OutputBuffers): JudgedFrame {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const { ranges, verdicts, facts } = judge.judgeLines(buf);
  let count = 0;
  let size = 0;
  for (let i = 0; i < verdicts.length; i++) {
    if (verdicts[i] === MATCH) {
      count++;
      size += ranges[2 * i + 1]! - ranges[2 * i]! + 1;
    }
  }
  const unsure: string[] = [];
  const cuts: number[] = [];
  const out = output ? buffers.take(size) : undefined;
  let p = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const v = verdicts[i / 2];
    if (v === UNSURE) {
      unsure.push(decoder.decode(buf.subarray(ranges[i]!, ranges[i + 1]!)));
      cuts.push(p);
    } else if (v === MATCH && out) {
      // A run of matching lines that follow each other in the frame is one copy (their newlines included).
      let j = i;
      while (j + 2 < ranges.length && verdicts[(j + 2) / 2] === MATCH && ranges[j + 2] === ranges[j + 1]! + 1) j += 2;
      p += buf.copy(out, p, ranges[i]!, ranges[j + 1]!);
      out[p++] = 10;
      i = j;
    }
  }
  if (!out) return { count, unsure, cuts };
  return facts === null ? { count, out, unsure, cuts } : { count, out, unsure, cuts, ...outFacts(ranges, verdicts, facts, count, judge.services) };
}

/** The `count` matches' facts in `out` order and offsets (each line there after the one before and its newline). */
function outFacts(ranges: ArrayLike<number>, verdicts: Uint8Array, facts: Float64Array, count: number, names: readonly string[]): { facts: Float64Array; services: string[] } {
  const out = new Float64Array(count * FACT_FIELDS);
  const services: string[] = [];
  const index = new Map<number, number>();
  let p = 0;
  for (let i = 0, g = 0; i < verdicts.length; i++) {
    if (verdicts[i] !== MATCH) continue;
    const f = i * FACT_FIELDS;
    const shift = p - ranges[2 * i]!;
    for (let k = 0; k < FACT_FIELDS; k++) out[g + k] = facts[f + k]!;
    out[g + FACT_LINE] = p;
    out[g + FACT_MSG_START]! += shift;
    out[g + FACT_MSG_END]! += shift;
    const id = facts[f + FACT_SERVICE]!;
    let s = index.get(id);
    if (s === undefined) index.set(id, (s = services.push(names[id]!) - 1));
    out[g + FACT_SERVICE] = s;
    p += ranges[2 * i + 1]! - ranges[2 * i]! + 1;
    g += FACT_FIELDS;
  }
  return { facts: out, services };
}
