/**
 * One side of `logtap diff` (upstream §13): metadata times and totals, label keys, and a full scan for per-minute
 * line counts, error lines and error signatures.
 */

import type { Labels } from "../../model/entry.ts";
import type { CaptureInfo } from "../../capture/capture-info.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { isZeroInstant, parseRfc3339, ZERO_TIME_TEXT, type Instant } from "../../capture/timestamp.ts";
import type { ErrorTally } from "../signature/error-tally.ts";
import { tallyCapture } from "../signature/tally-capture.ts";
import { clampDuration } from "./go-text.ts";

/** Upstream keeps each capture's 20 most frequent signatures for the structural comparison. */
export const TOP_ERRORS = 20;

export interface CaptureSummary {
  /** The path as the user gave it. */
  dir: string;
  /** Metadata times as written (the zero time when unset or unreadable). */
  started: string;
  stopped: string;
  durationNs: bigint;
  lines: number;
  linesPerSec: number;
  /** Label keys, sorted. */
  labels: string[];
  errorLines: number;
  /** Lines per minute: minute start (Unix seconds) → count. */
  minutes: Map<number, number>;
  tally: ErrorTally;
  topErrors: { pattern: string; count: number }[];
}

function metaInstant(text: unknown): Instant | null {
  if (typeof text !== "string") return null;
  const t = parseRfc3339(text);
  return t === null || isZeroInstant(t) ? null : t;
}

const earlier = (a: Instant, b: Instant) => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);

export async function summarizeCapture(capture: CaptureInfo, dir: string, onProblem?: (p: ReadProblem) => void): Promise<{ summary: CaptureSummary; problems: ReadProblem[] }> {
  const minutes = new Map<number, number>();
  const keys = new Set<string>();
  const seenLabels = new WeakSet<Labels>();
  const span: { first: Instant | null; last: Instant | null } = { first: null, last: null };
  const { tally, problems } = await tallyCapture(capture.dir, {
    onProblem,
    onEntry(e) {
      const minute = Math.floor(e.sec / 60) * 60;
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
      // Label objects are shared per stream, so keys are collected once per stream, not per line.
      if (!seenLabels.has(e.labels)) {
        seenLabels.add(e.labels);
        for (const k in e.labels) keys.add(k);
      }
      if (span.first === null || earlier(e, span.first)) span.first = { sec: e.sec, nsec: e.nsec };
      if (span.last === null || earlier(span.last, e)) span.last = { sec: e.sec, nsec: e.nsec };
    },
  });
  for (const entry of capture.index) for (const k of Object.keys(entry.labels ?? {})) keys.add(k);

  const m = capture.metadata;
  const started = metaInstant(m.started);
  const stopped = metaInstant(m.stopped);
  // A live or crashed capture has no stop time and zero totals (upstream's Q26): what was scanned stands in.
  const from = started ?? span.first;
  const to = stopped ?? span.last;
  const durationNs = from && to ? clampDuration(BigInt(to.sec - from.sec) * 1_000_000_000n + BigInt(to.nsec - from.nsec)) : 0n;
  const metaLines = Number(m.total_lines) || 0;
  const lines = metaLines > 0 ? metaLines : tally.lines;
  const seconds = Number(durationNs) / 1e9;
  return {
    summary: {
      dir,
      started: started ? (m.started as string) : ZERO_TIME_TEXT,
      stopped: stopped ? (m.stopped as string) : ZERO_TIME_TEXT,
      durationNs,
      lines,
      linesPerSec: durationNs > 0n ? lines / seconds : 0,
      labels: [...keys].sort(),
      errorLines: tally.errorLines,
      minutes,
      tally,
      topErrors: tally.ranked(TOP_ERRORS),
    },
    problems,
  };
}
