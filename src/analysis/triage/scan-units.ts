/**
 * The units the triage scan is split into: whole files, except indexed zstd files, which are cut into runs of frames
 * so that two workers share even a capture of one or three big files evenly.
 */

import { isCompressedName } from "../../capture/data-files.ts";
import type { PlannedFile } from "../../capture/reader/read-plan.ts";

/** ~16 MiB of JSONL per unit with the writer's 1 MiB frames: enough to amortise a reader, small enough to balance. */
const FRAMES_PER_UNIT = 16;

export interface ScanUnit {
  /** A planned file whose index lists only this unit's frames; the reader reads exactly those. */
  file: PlannedFile;
  /** Lines the index promises (0 when unindexed), for progress. */
  expectedLines: number;
}

export function scanUnits(files: readonly PlannedFile[]): ScanUnit[] {
  const units: ScanUnit[] = [];
  for (const f of files) {
    const frames = f.index?.frames;
    // Only zstd files are read frame by frame; a plain file is read whole whatever its index says.
    if (!f.index || !frames || frames.length <= FRAMES_PER_UNIT || !isCompressedName(f.name)) {
      units.push({ file: f, expectedLines: f.index?.lines ?? 0 });
      continue;
    }
    for (let i = 0; i < frames.length; i += FRAMES_PER_UNIT) {
      const part = frames.slice(i, i + FRAMES_PER_UNIT);
      units.push({ file: { name: f.name, index: { ...f.index, frames: part } }, expectedLines: part.reduce((n, fr) => n + fr.lines, 0) });
    }
  }
  return units;
}
