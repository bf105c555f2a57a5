/** Stage: every entry's timestamp moved by a fixed offset (merge --clock-correct's corrected copies). */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";

/**
 * Stored line texts (`raws`) are dropped: they carry the old timestamps.
 *
 * @example
 * captureSource(reader).pipeThrough(new ShiftTimeStream(-3_000_000_000)) // 3 s earlier
 */
export class ShiftTimeStream extends TransformStream<CaptureBatch, CaptureBatch> {
  /** @param offsetNs nanoseconds to add (negative = earlier); an integer */
  constructor(offsetNs: number) {
    const offSec = Math.floor(offsetNs / 1e9);
    const offNsec = offsetNs - offSec * 1e9;
    super({
      transform(batch, controller) {
        const entries = batch.entries.map((e) => {
          let sec = e.sec + offSec;
          let nsec = e.nsec + offNsec;
          if (nsec >= 1e9) {
            nsec -= 1e9;
            sec++;
          }
          return { ...e, sec, nsec };
        });
        controller.enqueue({ entries, file: batch.file });
      },
    });
  }
}
