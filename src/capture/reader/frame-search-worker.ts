/**
 * Worker entry point of the parallel search: reads one zstd frame of a capture file, decompresses it here (not on
 * the shared thread pool, so each worker is one core's worth of work) and returns only the lines that contain one of
 * the search literals — or, asked to judge them (judge-frame.ts, which finds its own candidates), their count and
 * printable bytes. Listed as an entry point in scripts/build.ts.
 */

import { openSync } from "node:fs";
import { ReusedReadBuffer } from "../read-at.ts";
import { serveRpc, type Answer } from "../../workers/worker-rpc.ts";
import { LiteralScanner } from "../../scan/literal-scanner.ts";
import { candidateLines, regexCandidateLines, scannedCandidateLines } from "./candidate-lines.ts";
import { judgeFrame } from "./judge-frame.ts";
import { StoredLineJudge, type JudgeSpec } from "./stored-line-judge.ts";
import { FrameDecompressor } from "./frame-decompressor.ts";
import { OutputBuffers } from "./output-buffers.ts";
import type { FrameSearchReply, FrameSearchRequest } from "./frame-search-pool.ts";

const fds = new Map<string, number | null>();
// One input buffer per worker, reused: decompression is synchronous here, so it is free again after each frame.
const input = new ReusedReadBuffer();
// And one output buffer: every reply is made of strings and copies, so the frame's bytes are free once it is sent.
// From the first frame: the workers start only for reads of ≥ 2 MiB of frames (dozens), which repay node:zlib's load.
const inflater = new FrameDecompressor(0);
let literalKey = "";
let literals: Buffer[] = [];
let fold: RegExp | null = null;
// A case-insensitive prefilter's literals, scanned as bytes instead of the regex over a latin1 string of each frame
// (1.52× faster on the 1 GiB read benchmark, docs/benchmarks.md).
let foldScanner: LiteralScanner | null = null;
// One judge per search (the request's spec does not change within one): its label-set cache lives across frames.
let judgeKey = "";
let judge: StoredLineJudge | null = null;
// The judged output's buffers: they cross to the main thread with each answer, and come back with later requests.
const outputs = new OutputBuffers();

function fdOf(path: string): number | null {
  let fd = fds.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, "r");
    } catch (e) {
      // Rotated away or deleted by the disk cap since the plan was made: as the in-thread reader, read nothing.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      fd = null;
    }
    fds.set(path, fd);
  }
  return fd;
}

serveRpc<FrameSearchRequest, FrameSearchReply>((req) => {
  for (const b of req.spare ?? []) outputs.giveBack(b);
  const key = req.literals.join("\0");
  if (key !== literalKey) {
    literalKey = key;
    literals = req.literals.map((l) => Buffer.from(l));
  }
  if (req.fold && (fold === null || fold.source !== req.fold.source)) {
    fold = new RegExp(req.fold.source, req.fold.flags);
    foldScanner = scannerFor(req.fold.literals);
  }
  const fd = fdOf(req.path);
  if (fd === null) return { result: { lines: [] } };
  const compressed = input.read(fd, req.offset, req.length);
  const frameJudge = req.judge === undefined ? null : judgeFor(req.judge);
  let bytes: Uint8Array;
  try {
    // A frame to judge may go straight into the judge's SIMD scanner (no copy of the frame there).
    bytes = inflater.decompress(compressed, frameJudge?.frameTarget);
  } catch (e) {
    return { result: { lines: [], corrupt: (e as Error).message } };
  }
  try {
    return searchFrame(req, bytes, frameJudge);
  } finally {
    inflater.release(bytes);
  }
});

function judgeFor(spec: JudgeSpec): StoredLineJudge {
  const key = JSON.stringify(spec);
  if (key !== judgeKey || judge === null) {
    judgeKey = key;
    judge = new StoredLineJudge(spec);
  }
  return judge;
}

function searchFrame(req: FrameSearchRequest, bytes: Uint8Array, frameJudge: StoredLineJudge | null): Answer<FrameSearchReply> {
  if (frameJudge !== null) {
    const judged = judgeFrame(bytes, frameJudge, req.judge!.output, outputs);
    const transfer = [judged.out?.buffer, judged.facts?.buffer].filter((t) => t !== undefined) as ArrayBuffer[];
    return { result: { lines: [], judged }, transfer };
  }
  if (req.fold) return { result: { lines: foldScanner ? scannedCandidateLines(bytes, foldScanner) : regexCandidateLines(bytes, fold!) } };
  return { result: { lines: candidateLines(bytes, literals) } };
}

/** A folding scanner for the literals; null (the regex is used) for none, or more or longer than one scanner takes. */
function scannerFor(literals: readonly string[] | undefined): LiteralScanner | null {
  if (literals === undefined) return null;
  try {
    return new LiteralScanner(literals, true);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
