/**
 * `merge --clock-correct` (upstream §14.1), run before the byte-for-byte merge: every source is scanned, skew is
 * estimated against the reference, and each source with a non-zero offset is rewritten with shifted timestamps
 * into a hidden temporary capture inside the output directory (same file system, not a RAM-backed /tmp), which
 * the merge then copies in its place. `cleanup()` removes the temporary captures.
 */

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { goFixed1 } from "../../common/format.ts";
import { writeDerivedCapture } from "../../../pipeline/sinks/derived-capture.ts";
import type { ClockCorrection, MergeSource } from "../../capture/copy/merge.ts";
import { DIR_MODE } from "../../capture/file-modes.ts";
import { readIndex } from "../../capture/index-file.ts";
import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { isZeroInstant, parseRfc3339 } from "../../capture/timestamp.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { ShiftTimeStream } from "../../../pipeline/stages/shift-time.ts";
import { tallyCapture } from "../signature/tally-capture.ts";
import { detectSkew, type SkewSource } from "./estimate-offset.ts";

export interface ClockCorrected {
  /** The sources to merge: corrected copies in place of skewed sources, the rest unchanged. */
  sources: MergeSource[];
  corrections: ClockCorrection[];
  /** Upstream's stderr notes for offsets beyond the limit, each starting with a newline. */
  warnings: string[];
  cleanup(): void;
}

function started(text: unknown) {
  if (typeof text !== "string") return null;
  const t = parseRfc3339(text);
  return t === null || isZeroInstant(t) ? null : t;
}

/** `out` is the (checked) merge output directory; it is created here if needed. */
export async function correctClocks(sources: readonly MergeSource[], out: string, onProblem?: (p: ReadProblem) => void): Promise<ClockCorrected> {
  const scanned: SkewSource[] = [];
  for (const s of sources) {
    const { tally } = await tallyCapture(s.dir, { onProblem });
    scanned.push({ label: s.label, lines: tally.lines, firstSeen: tally.signatures, started: started(s.metadata.started) });
  }
  const skew = detectSkew(scanned);
  const temps: string[] = [];
  const cleanup = () => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  };
  const replaced = [...sources];
  try {
    for (const { index, offsetNs } of skew.corrections) {
      if (offsetNs === 0) continue;
      mkdirSync(out, { recursive: true, mode: DIR_MODE });
      const temp = mkdtempSync(join(out, ".clock-correct-"));
      temps.push(temp);
      const source = sources[index]!;
      const shifted = captureSource(new CaptureReader(source.dir, { onProblem })).pipeThrough(new ShiftTimeStream(offsetNs));
      const written = await writeDerivedCapture(shifted, temp, { prefix: "corrected", source: source.metadata });
      replaced[index] = { dir: temp, label: source.label, metadata: written.metadata, index: readIndex(temp) };
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    sources: replaced,
    corrections: skew.corrections.map((c) => c.correction),
    warnings: skew.tooLarge.map(
      ({ index, offsetNs }) => `\nClock skew for ${sources[index]!.label} exceeds 60s (${goFixed1(offsetNs / 1e9)}s), skipping correction\n`,
    ),
    cleanup,
  };
}
