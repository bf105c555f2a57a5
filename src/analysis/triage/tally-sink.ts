/** Sink: feeds every batch of the capture source into a unit tally (the triage scan's one pass). */

import type { CaptureBatch } from "../../../pipeline/capture-batch.ts";
import type { UnitTally } from "./unit-tally.ts";

/**
 * @example
 * await captureSource(new CaptureReader(dir, { files: [unit] })).pipeTo(new TallySink(tally));
 */
export class TallySink extends WritableStream<CaptureBatch> {
  constructor(tally: UnitTally) {
    super({ write: (batch) => tally.add(batch.entries) });
  }
}
