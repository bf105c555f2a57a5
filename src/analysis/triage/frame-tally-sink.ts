/** Sink: feeds every decompressed frame of a capture into a unit tally (the triage scan's one pass). */

import type { RawFrame } from "../../capture/reader/capture-reader.ts";
import { FrameTally } from "./frame-tally.ts";
import type { UnitTally } from "./unit-tally.ts";

/**
 * @example
 * await iteratorSource(new CaptureReader(dir, { files: [unit] }).frames()).pipeTo(new FrameTallySink(tally));
 */
export class FrameTallySink extends WritableStream<RawFrame> {
  constructor(tally: UnitTally) {
    const frames = new FrameTally(tally);
    super({
      write: (frame) => {
        frames.add(frame.bytes);
        frame.release();
      },
    });
  }
}
