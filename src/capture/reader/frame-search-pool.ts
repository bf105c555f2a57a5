/**
 * Fans the frames of a search out to worker threads: each worker reads, decompresses and memmem-searches whole
 * frames, so the main thread only parses the few lines that contain a search literal. Used by the capture reader
 * for literal-prefiltered reads of large compressed captures, where it beats doing the same on one thread plus
 * Bun's zstd pool (docs/benchmarks.md, Read).
 */

import { bundledWorkerUrl } from "../../workers/bundled-worker-url.ts";
import { defaultWorkerCount } from "../../workers/worker-count.ts";
import { WorkerRpc } from "../../workers/worker-rpc.ts";
import type { JudgeSpec } from "./stored-line-judge.ts";
import type { JudgedFrame } from "./judge-frame.ts";

export interface FrameSearchRequest {
  path: string;
  offset: number;
  length: number;
  literals: readonly string[];
  /**
   * Instead of literals: a case-insensitive ASCII prefilter — its `literals` found by the SIMD scanner when it has
   * them (literal-scanner.ts), else the regex (`source`, `flags`) run over a latin1 view.
   */
  fold?: { source: string; flags: string; literals?: readonly string[] };
  /** Judge the lines holding the spec's literals from their bytes (stored-line-judge.ts; `literals` and `fold` unused). */
  judge?: JudgeSpec;
  /** Output buffers of earlier answers, written and free again (transferred: output-buffers.ts). */
  spare?: ArrayBuffer[];
}

export interface FrameSearchReply {
  lines: string[];
  /** The frame's judgement, when the request asked for one (`lines` is then empty). */
  judged?: JudgedFrame;
  /** Set when the frame does not decompress: the reader reports it as damage, as for in-thread reads. */
  corrupt?: string;
}

/**
 * Below this many stored (compressed) frame bytes to read, starting the workers (~5 ms) costs more than they save:
 * a few frames. Above it they win at every size measured (docs/benchmarks.md, Read: 138 → 99 ms for 15 MB of frames).
 */
export const PARALLEL_SEARCH_MIN_BYTES = 2 << 20;

/** Frames queued per worker (requests are a few bytes): ~20 ms of work, so a worker does not run dry while the main thread waits for a core. */
const FRAMES_IN_FLIGHT = 32;

export class FrameSearchPool {
  readonly #workers: WorkerRpc<FrameSearchRequest, FrameSearchReply>[] = [];
  #next = 0;

  constructor(size = defaultWorkerCount()) {
    const url = bundledWorkerUrl("capture/reader/frame-search-worker");
    for (let i = 0; i < size; i++) this.#workers.push(new WorkerRpc(url, "search"));
  }

  /** How many frames to keep in flight in total. */
  get window(): number {
    return this.#workers.length * FRAMES_IN_FLIGHT;
  }

  search(req: FrameSearchRequest): Promise<FrameSearchReply> {
    // Round robin: frames are alike in size, and the reader consumes results in order anyway.
    const w = this.#workers[this.#next++ % this.#workers.length]!;
    return w.call(req, req.spare ?? []);
  }

  close(): void {
    for (const w of this.#workers) w.terminate();
  }
}

/** The threshold, overridable for tests and tuning (`LOGTAP_PARALLEL_SEARCH_MIN_BYTES`, bytes; 0 = always). */
export function parallelSearchMinBytes(): number {
  const v = process.env.LOGTAP_PARALLEL_SEARCH_MIN_BYTES;
  const n = v === undefined || v === "" ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : PARALLEL_SEARCH_MIN_BYTES;
}
