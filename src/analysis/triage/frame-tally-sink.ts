/** Sink: feeds every decompressed frame of a capture into a unit tally (the triage scan's one pass). */

import type { RawFrame } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { FrameTally } from "./frame-tally.ts";
import type { UnitTally } from "./unit-tally.ts";

/**
 * @example
 * await iteratorSource(new CaptureReader(dir, { files: [unit] }).frames()).pipeTo(new FrameTallySink(tally, onProblem));
 */
export class FrameTallySink extends WritableStream<RawFrame> {
  /** `onProblem` hears of the frames' lines that are not entries. */
  constructor(tally: UnitTally, onProblem: (p: ReadProblem) => void) {
    const frames = new FrameTally(tally);
    super({
      write: (frame) => {
        frames.add(frame.bytes);
        frames.nonEntries.report(frame.file, frame.offset, onProblem);
        frame.release();
      },
    });
  }
}
