/**
 * Stage: hands every batch to a callback and passes it on unchanged — a tap for whoever wants to watch the stream
 * (the TUIs' log ring and top talkers). If the callback returns a promise, the stage waits for it before passing the
 * batch on, so an observer can also hold the stream back (the replay's pause gate) without busy-waiting.
 * The callback must not modify the batch.
 */

import type { EntryBatch } from "../../src/model/entry.ts";

/**
 * @example
 * queue.readable.pipeThrough(new RedactStream(redactor)).pipeThrough(new ObserveStream((b) => ring.pushAll(b.entries)))
 */
export class ObserveStream<B extends EntryBatch = EntryBatch> extends TransformStream<B, B> {
  constructor(observe: (batch: B) => void | Promise<void>) {
    super({
      transform(batch, controller) {
        const waited = observe(batch);
        if (waited instanceof Promise) return waited.then(() => controller.enqueue(batch));
        controller.enqueue(batch);
      },
    });
  }
}
