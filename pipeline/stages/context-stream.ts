/** Stage: grep -C — gathers each file's entries and emits its matches with N lines of context around them. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { Entry } from "../../src/model/entry.ts";
import type { EntryFilter } from "../../src/capture/filters/entry-filter.ts";
import { contextGroups, type GrepHit } from "../../src/search/context-groups.ts";

/**
 * Input: the entries that pass the time and label filters (all of a file's candidates, not just matches).
 *
 * @example
 * captureSource(reader).pipeThrough(new FilterEntriesStream(timeAndLabels)).pipeThrough(new ContextStream(regexOnly, 3))
 */
export class ContextStream extends TransformStream<CaptureBatch, GrepHit[]> {
  matches = 0;
  constructor(matcher: EntryFilter, n: number) {
    let file: string | null = null;
    let entries: Entry[] = [];
    const flush = (controller: TransformStreamDefaultController<GrepHit[]>) => {
      if (file === null) return;
      const isMatch = entries.map((e) => matcher.matchesText(e));
      this.matches += isMatch.filter(Boolean).length;
      const hits = contextGroups(file, entries, isMatch, n);
      if (hits.length > 0) controller.enqueue(hits);
      entries = [];
    };
    super({
      transform: (batch, controller) => {
        if (batch.file !== file) {
          flush(controller);
          file = batch.file;
        }
        for (const e of batch.entries) entries.push(e);
      },
      flush: (controller) => flush(controller),
    });
  }
}
