/**
 * Stage: replays entries at `speed`× their original timing (upstream §5.4): the first entry anchors the replay,
 * each later one is released at anchor + (ts − first ts) / speed; out-of-order entries go at once; speed 0 never
 * waits. Batches are split where the stream has to wait, so downstream sees entries exactly when they are due.
 */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";

const realClock = { now: () => performance.now(), sleep: (ms: number) => Bun.sleep(ms) };

export interface PaceControl {
  /** Current speed; read on every entry so a UI can change it mid-replay. */
  speed(): number;
}

/**
 * @example
 * captureSource(reader).pipeThrough(new PaceStream({ speed: () => 10 })).pipeTo(sink)
 */
export class PaceStream extends TransformStream<CaptureBatch, CaptureBatch> {
  constructor(control: PaceControl, clock: { now(): number; sleep(ms: number): Promise<void> } = realClock) {
    let anchorNs: number | null = null;
    let anchorMs = 0;
    let anchorSpeed = 0;
    let lastNs = 0;
    super({
      async transform(batch, controller) {
        const { entries } = batch;
        let start = 0;
        for (let i = 0; i < entries.length; i++) {
          const speed = control.speed();
          if (speed <= 0) continue;
          const e = entries[i]!;
          const tsNs = e.sec * 1e9 + e.nsec;
          if (anchorNs === null || speed !== anchorSpeed) {
            // A new speed takes over from the last released entry, so the replay neither jumps nor stalls.
            anchorNs = anchorNs === null ? tsNs : lastNs;
            anchorMs = clock.now();
            anchorSpeed = speed;
          }
          const wait = anchorMs + (tsNs - anchorNs) / 1e6 / speed - clock.now();
          if (wait > 1) {
            if (i > start) controller.enqueue({ ...batch, entries: entries.slice(start, i), raws: batch.raws?.slice(start, i) });
            start = i;
            await clock.sleep(wait);
          }
          lastNs = Math.max(lastNs, tsNs);
        }
        if (start < entries.length) controller.enqueue(start === 0 ? batch : { ...batch, entries: entries.slice(start), raws: batch.raws?.slice(start) });
      },
    });
  }
}
