/** One unit of the triage scan, the same code in the main thread (`--jobs 1`) and in each worker. */

import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { PlannedFile } from "../../capture/reader/read-plan.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { iteratorSource } from "../../../pipeline/sources/iterator-source.ts";
import { FrameTallySink } from "./frame-tally-sink.ts";
import type { PackedSignatures } from "./packed-signatures.ts";
import { UnitTally, type TallyWire } from "./unit-tally.ts";

export interface UnitRequest {
  dir: string;
  file: PlannedFile;
  bucketSec: number;
}

export interface UnitResult {
  tally: TallyWire;
  problems: ReadProblem[];
}

/**
 * A UnitResult as a worker sends it: the signature list packed (packed-signatures.ts) and the templates as one JSON
 * string — structured-cloning their nested arrays cost 10 ms a unit on each side, the JSON a tenth of that —,
 * `tally.signatures` and `tally.patterns` empty.
 */
export interface PackedUnitResult extends UnitResult {
  signatures: PackedSignatures;
  patterns: string;
}

export const EMPTY_PATTERNS: TallyWire["patterns"] = { templates: [], ungrouped: [0, 0, 0, 0, 0, 0, [], false], examples: [], ofSignature: [] };

export async function scanUnit(req: UnitRequest): Promise<UnitResult> {
  const tally = new UnitTally(req.bucketSec);
  const problems: ReadProblem[] = [];
  const onProblem = (p: ReadProblem) => problems.push(p);
  const reader = new CaptureReader(req.dir, { files: [req.file], decompress: "inline", onProblem });
  await iteratorSource(reader.frames()).pipeTo(new FrameTallySink(tally, onProblem));
  return { tally: tally.toWire(), problems };
}
