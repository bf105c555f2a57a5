/** Source: every entry of a capture directory, file by file in name (= creation) order, as batches. */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { EntryBatch } from "../entry.ts";
import { isDataFileName } from "../../src/capture/data-files.ts";
import { readDataFile, type ReadProblem } from "../../src/capture/reader/read-data-file.ts";

export interface CaptureSourceOptions {
  /** Hears about corrupt frames and torn tails; reading goes on past them. */
  onProblem?: (p: ReadProblem) => void;
}

export function listDataFiles(dir: string): string[] {
  return readdirSync(dir).filter(isDataFileName).sort();
}

/**
 * @example
 * for await (const batch of captureSource("./capture")) console.log(batch.entries.length);
 */
export function captureSource(dir: string, opts: CaptureSourceOptions = {}): ReadableStream<EntryBatch> {
  const onProblem = opts.onProblem ?? (() => {});
  let files: string[] | null = null;
  let current: Generator<{ entries: EntryBatch["entries"] }> | null = null;
  return new ReadableStream<EntryBatch>(
    {
      pull(controller) {
        files ??= listDataFiles(dir);
        for (;;) {
          if (current === null) {
            const name = files.shift();
            if (name === undefined) {
              controller.close();
              return;
            }
            current = readDataFile(join(dir, name), name, onProblem);
          }
          const next = current.next();
          if (next.done) {
            current = null;
            continue;
          }
          controller.enqueue(next.value);
          return;
        }
      },
    },
    { highWaterMark: 2 },
  );
}
