/**
 * Which captures `gc` deletes (upstream §20): first everything started before now − max-age, then, while the
 * rest still exceeds max-total, the oldest remaining (ties by directory name). No I/O here.
 */

import { compareBytewise } from "../byte-order.ts";
import { compareTimes, type CaptureTime } from "../capture-time.ts";
import type { GcCapture } from "./scan.ts";

export type GcReason = "max-age" | "max-total";

export interface GcDeletion {
  dir: string;
  started: CaptureTime;
  sizeBytes: number;
  reasons: GcReason[];
}

export interface GcRules {
  maxAgeMs?: number;
  maxTotalBytes?: number;
  nowMs: number;
}

function startedMs(t: CaptureTime): number {
  return t.instant.sec * 1000 + t.instant.nsec / 1e6;
}

function oldestFirst(a: { dir: string; started: CaptureTime }, b: { dir: string; started: CaptureTime }): number {
  return compareTimes(a.started, b.started) || compareBytewise(a.dir, b.dir);
}

export function selectDeletions(captures: readonly GcCapture[], rules: GcRules): GcDeletion[] {
  const selected = new Map<string, GcDeletion>();
  const mark = (c: GcCapture, reason: GcReason) => {
    const d = selected.get(c.dir) ?? { dir: c.dir, started: c.started, sizeBytes: c.sizeBytes, reasons: [] };
    if (!d.reasons.includes(reason)) d.reasons.push(reason);
    selected.set(c.dir, d);
  };
  if (rules.maxAgeMs !== undefined) {
    const cutoff = rules.nowMs - rules.maxAgeMs;
    for (const c of captures) if (startedMs(c.started) < cutoff) mark(c, "max-age");
  }
  if (rules.maxTotalBytes !== undefined) {
    let total = captures.reduce((sum, c) => sum + c.sizeBytes, 0);
    for (const d of selected.values()) total -= d.sizeBytes;
    for (const c of captures.filter((c) => !selected.has(c.dir)).sort(oldestFirst)) {
      if (total <= rules.maxTotalBytes) break;
      mark(c, "max-total");
      total -= c.sizeBytes;
    }
  }
  return [...selected.values()].sort(oldestFirst);
}
