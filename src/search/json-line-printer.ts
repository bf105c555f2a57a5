/**
 * grep's JSON lines for pending hits (`--sort`): a judged line as stored (the judge vouched that it is the canonical
 * form grep would encode), a hit parsed the general way encoded as grep-output.ts does.
 */

import { writeStdout } from "../common/stdout.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { ENTRY, FRAME, LINE_END, LINE_START, RECORD, type PendingHits } from "./pending-hits.ts";

const CHUNK = 16 << 20;

export class JsonLinePrinter {
  #chunk = Buffer.allocUnsafe(CHUNK);

  /** Prints hits order[0, end). */
  async print(h: PendingHits, order: Uint32Array, end: number): Promise<void> {
    const rec = h.records;
    let p = 0;
    for (let k = 0; k < end; k++) {
      const i = order[k]!;
      const r = i * RECORD;
      const f = rec[r + FRAME]!;
      const line = f < 0 ? encodeEntryLine(h.entries[rec[r + ENTRY]!]!) + "\n" : null;
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      const need = line === null ? rec[r + LINE_END]! + 1 - rec[r + LINE_START]! : 3 * line.length;
      if (p + need > this.#chunk.length) {
        // writeStdout resolves once the OS has the bytes: the chunk is free again.
        if (p > 0) await writeStdout(this.#chunk.subarray(0, p));
        if (need > this.#chunk.length) this.#chunk = Buffer.allocUnsafe(need);
        p = 0;
      }
      if (line === null) p += h.frames[f]!.copy(this.#chunk, p, rec[r + LINE_START]!, rec[r + LINE_END]! + 1);
      else p += this.#chunk.write(line, p, "utf8");
    }
    if (p > 0) await writeStdout(this.#chunk.subarray(0, p));
  }
}
