/**
 * Stage: replays entries at `speed`× their original timing (upstream §5.4): the first entry anchors the replay,
 * each later one is released at anchor + (ts − first ts) / speed; out-of-order entries go at once; speed 0 never
 * waits. Batches are split where the stream has to wait, so downstream sees entries exactly when they are due.
 */

import type { CaptureBatch } from "../capture-batch.ts";

export interface PaceControl {
  /** Current speed; read on every entry so a UI can change it mid-replay. */
  speed(): number;
}

/**
 * @example
 * captureSource(reader).pipeThrough(new PaceStream({ speed: () => 10 })).pipeTo(sink)
 */
export class PaceStream extends TransformStream<CaptureBatch, CaptureBatch> {
  constructor(control: PaceControl, sleep: (ms: number) => Promise<void> = (ms) => Bun.sleep(ms)) {
    let firstNs: number | null = null;
    let anchorMs = 0;
    let anchorSpeed = 0;
    super({
      async transform(batch, controller) {
        const { entries } = batch;
        let start = 0;
        for (let i = 0; i < entries.length; i++) {
          const speed = control.speed();
          if (speed <= 0) continue;
          const e = entries[i]!;
          const tsNs = e.sec * 1e9 + e.nsec;
          if (firstNs === null || speed !== anchorSpeed) {
            // (Re-)anchor on this entry so a speed change takes effect without a jump.
            firstNs = tsNs;
            anchorMs = performance.now();
            anchorSpeed = speed;
            continue;
          }
          const due = anchorMs + (tsNs - firstNs) / 1e6 / speed;
          const wait = due - performance.now();
          if (wait > 1) {
            if (i > start) controller.enqueue({ ...batch, entries: entries.slice(start, i), raws: batch.raws?.slice(start, i) });
            start = i;
            await sleep(wait);
          }
        }
        if (start < entries.length) controller.enqueue(start === 0 ? batch : { ...batch, entries: entries.slice(start), raws: batch.raws?.slice(start) });
      },
    });
  }
}
