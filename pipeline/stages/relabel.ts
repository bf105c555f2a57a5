/**
 * Stage: gives every entry the label set `relabel` makes of its current one, in place. `relabel` is called once per
 * distinct input set (by identity), so entries that shared a set share the new one — which keeps grouping by
 * stream a lookup per entry downstream.
 */

import type { EntryBatch, Labels } from "../../src/model/entry.ts";

/**
 * @example
 * source.pipeThrough(new RelabelStream((l) => Object.freeze({ container: l.container!, session })))
 */
export class RelabelStream extends TransformStream<EntryBatch, EntryBatch> {
  constructor(relabel: (labels: Labels) => Labels) {
    const cache = new WeakMap<Labels, Labels>();
    super({
      transform(batch, controller) {
        for (const e of batch.entries) {
          let next = cache.get(e.labels);
          if (next === undefined) cache.set(e.labels, (next = relabel(e.labels)));
          e.labels = next;
        }
        controller.enqueue(batch);
      },
    });
  }
}
