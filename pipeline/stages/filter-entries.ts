/** Stage: keeps the entries an EntryFilter accepts (time range, labels, regex), per line. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { EntryFilter } from "../../src/capture/filters/entry-filter.ts";

/**
 * @example
 * captureSource(reader).pipeThrough(new FilterEntriesStream(filter))
 */
export class FilterEntriesStream extends TransformStream<CaptureBatch, CaptureBatch> {
  constructor(filter: EntryFilter) {
    super({
      transform(batch, controller) {
        if (filter.isEmpty) {
          controller.enqueue(batch);
          return;
        }
        const { entries, raws } = batch;
        if (filter.rawRegex && !raws) throw new Error("a raw-line regex needs a reader with keepRaw");
        const keep: typeof entries = [];
        const keepRaw: string[] | undefined = raws ? [] : undefined;
        for (let i = 0; i < entries.length; i++) {
          if (filter.matches(entries[i]!) && (raws === undefined || filter.matchesRaw(raws[i]!))) {
            keep.push(entries[i]!);
            keepRaw?.push(raws![i]!);
          }
        }
        if (keep.length > 0) controller.enqueue(keepRaw ? { ...batch, entries: keep, raws: keepRaw } : { ...batch, entries: keep });
      },
    });
  }
}
