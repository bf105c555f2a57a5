/**
 * `recv --json`: one object on stdout once the receiver has stopped (after `--duration`, or a signal), for an agent
 * or a script that ran a bounded capture: what was written, what was dropped, what the cluster no longer had.
 */

import { dataFileStats } from "../capture/data-file-stats.ts";
import type { CaptureTotals } from "../capture/writer/capture-writer.ts";
import type { Receiver } from "./receiver.ts";

export interface RunSummary {
  dir: string;
  /** Lines and uncompressed JSONL bytes written to the capture. */
  lines: number;
  bytes: number;
  /** Entries accepted into the queue: pushed and followed. */
  received: number;
  /** Entries lost to a full queue or a failed write. */
  drops: number;
  /** Stretches of container log `--follow` could not read (see audit.jsonl); 0 without --follow. */
  gaps: number;
  /** Data files in the capture directory. */
  files: number;
}

export function runSummary(r: Receiver, totals: CaptureTotals): RunSummary {
  return {
    dir: r.dir,
    lines: totals.lines,
    bytes: totals.bytes,
    received: r.metrics.received.value,
    drops: r.metrics.dropped.value,
    gaps: r.followReport?.gaps ?? 0,
    files: dataFileStats(r.dir).files,
  };
}
