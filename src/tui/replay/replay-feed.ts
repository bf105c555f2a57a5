/**
 * Feeds the replay TUI through the same stages as plain `open` (capture source → exact filter → pacing) and then
 * into the log ring: the pause gate, the service selection of the picker (skipped entries still count as emitted,
 * as upstream) and the counts the progress bar shows.
 */

import type { Entry } from "../../model/entry.ts";
import type { CaptureBatch } from "../../model/capture-batch.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../../pipeline/stages/filter-entries.ts";
import { PaceStream } from "../../../pipeline/stages/pace.ts";
import { ObserveStream } from "../../../pipeline/stages/observe.ts";
import type { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { EntryFilter } from "../../capture/filters/entry-filter.ts";
import type { RingBuffer } from "../model/ring-buffer.ts";
import type { Playback } from "./playback.ts";

export interface ServiceSelection {
  key: string;
  values: ReadonlySet<string>;
}

export class ReplayFeed {
  emitted = 0;
  done = false;
  error: Error | null = null;
  startedAt = 0;
  doneAt = 0;
  readonly #reader: CaptureReader;
  readonly #filter: EntryFilter;
  readonly #playback: Playback;
  readonly #ring: RingBuffer<Entry>;
  readonly #abort = new AbortController();
  readonly #extra: TransformStream<CaptureBatch, CaptureBatch>[];
  #finished: Promise<void> | null = null;

  /** `extra`: stages between the filter and pacing, as plain `open` has them (fault injection). */
  constructor(reader: CaptureReader, filter: EntryFilter, playback: Playback, ring: RingBuffer<Entry>, extra: TransformStream<CaptureBatch, CaptureBatch>[] = []) {
    this.#reader = reader;
    this.#filter = filter;
    this.#playback = playback;
    this.#ring = ring;
    this.#extra = extra;
  }

  /** Starts reading; resolves when the capture is exhausted, the feed is stopped or reading failed (see `error`). */
  start(selection: ServiceSelection | null, now: () => number = () => performance.now()): Promise<void> {
    if (this.#finished) return this.#finished;
    this.startedAt = now();
    const { key, values } = selection ?? { key: "", values: null };
    const observe = (batch: CaptureBatch): Promise<void> | void => {
      const gate = this.#playback.gate();
      const take = () => {
        this.emitted += batch.entries.length;
        if (values === null) this.#ring.pushAll(batch.entries);
        else for (const e of batch.entries) if (values.has(e.labels[key] ?? "")) this.#ring.push(e);
      };
      if (gate) return gate.then(take);
      take();
    };
    let entries = captureSource(this.#reader).pipeThrough(new FilterEntriesStream(this.#filter));
    for (const stage of this.#extra) entries = entries.pipeThrough(stage);
    this.#finished = entries
      .pipeThrough(new PaceStream(this.#playback.control, this.#playback.clock))
      .pipeThrough(new ObserveStream<CaptureBatch>(observe))
      .pipeTo(new WritableStream(), { signal: this.#abort.signal })
      .then(
        () => {
          this.done = true;
          this.doneAt = now();
        },
        (e) => {
          if (!this.#abort.signal.aborted) this.error = e instanceof Error ? e : new Error(String(e));
        },
      );
    return this.#finished;
  }

  /** Stops reading (quitting); pending waits end at once. */
  stop(): void {
    this.#playback.stop();
    this.#abort.abort();
  }
}
