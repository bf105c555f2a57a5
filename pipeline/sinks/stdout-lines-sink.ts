/** Sink: one line per entry on stdout — the capture JSON line or the human display line. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { Entry } from "../../src/model/entry.ts";
import { writeStdout } from "../../src/common/stdout.ts";

/**
 * @example
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(new StdoutLinesSink(encodeEntryLine))
 */
export class StdoutLinesSink extends WritableStream<CaptureBatch> {
  count = 0;
  constructor(format: (e: Entry) => string) {
    super({
      write: (batch) => {
        let out = "";
        for (const e of batch.entries) out += format(e) + "\n";
        this.count += batch.entries.length;
        return writeStdout(out);
      },
    });
  }
}
