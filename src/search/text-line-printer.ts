/**
 * grep's text timeline for pending hits: `HH:MM:SS.mmm [service] message`, the bracketed service padded to `width`.
 * A stored line's text line is written from its bytes by stored-text-line.wat (clock from the stored timestamp,
 * message decoded from its stored escapes); a hit parsed the general way is formatted as grep-output.ts does.
 */

import { writeStdout } from "../common/stdout.ts";
import { StoredTextLineBuffer } from "../scan/stored-text-line-buffer.ts";
import { TS_OPEN } from "../capture/stored-line-bytes.ts";
import { grepClock } from "./grep-output.ts";
import { ENTRY, FRAME, LINE_START, MSG_END, MSG_START, RECORD, SERVICE, type PendingHits } from "./pending-hits.ts";

const CHUNK = 16 << 20;

export class TextLinePrinter {
  readonly #width: number;
  readonly #buffer = new StoredTextLineBuffer(CHUNK);
  /** By hit service id: the text between clock and message, and its id in the buffer. */
  readonly #texts: Buffer[] = [];
  readonly #ids: number[] = [];

  constructor(width: number) {
    this.#width = width;
  }

  /** Prints hits order[0, end). */
  async print(h: PendingHits, order: Uint32Array, end: number): Promise<void> {
    const rec = h.records;
    const out = this.#buffer;
    // One buffer, reused: writeStdout resolves once the OS has the bytes.
    let chunk = out.bytes;
    let p = 0;
    for (let k = 0; k < end; k++) {
      const i = order[k]!;
      const r = i * RECORD;
      const f = rec[r + FRAME]!;
      const entry = f < 0 ? h.entries[rec[r + ENTRY]!] : undefined;
      const service = rec[r + SERVICE]!;
      const svc = (this.#texts[service] ??= Buffer.from(` ${`[${h.services[service]}]`.padEnd(this.#width)} `));
      const ts = rec[r + LINE_START]! + TS_OPEN.length;
      const msgEnd = rec[r + MSG_END]!;
      // A stored message decodes to at most its stored length; the stored line is copied from its timestamp. A
      // UTF-16 unit is at most 3 bytes of UTF-8 (measuring each message was a tenth of the general path's time).
      const need = 13 + svc.length + (entry === undefined ? msgEnd - ts : 3 * entry.msg.length);
      if (p + need > chunk.length) {
        if (p > 0) await writeStdout(chunk.subarray(0, p));
        out.reserve(need);
        chunk = out.bytes;
        p = 0;
      }
      if (entry === undefined) {
        let id = this.#ids[service];
        if (id === undefined) {
          id = this.#ids[service] = out.addService(svc);
          // Growing the memory for it detached the view.
          chunk = out.bytes;
        }
        p = out.writeStoredLine(h.frames[f]!, ts, rec[r + MSG_START]!, msgEnd, id, p);
      } else {
        p += chunk.write(grepClock(entry), p, "latin1");
        p += svc.copy(chunk, p);
        p += chunk.write(entry.msg, p, "utf8");
        chunk[p++] = 10;
      }
    }
    if (p > 0) await writeStdout(chunk.subarray(0, p));
  }
}
