/**
 * Reads what a data file gained since the last look: the zstd frames that are complete by now (a frame still being
 * written just means "not yet"), or the complete lines of a plain file. Used to follow a live capture.
 */

import { readAt } from "../read-at.ts";
import { closeSync, fstatSync, openSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../../model/entry.ts";
import { isCompressedName } from "../data-files.ts";
import { decodeEntryLine } from "../entry-line.ts";
import type { ReadProblem } from "../reader/read-problem.ts";
import { scanZstdFrames } from "../reader/zstd-frames.ts";

/** Where following a file stands. */
export interface TailCursor {
  file: string;
  /** Bytes of the stored file already consumed (always at a frame or line boundary). */
  offset: number;
  /** Lines consumed so far (upstream receivers compress the plain active file into `<name>.zst` at rotation). */
  lines: number;
  /** Lines at the start of the file to pass over: they were already read from the file this one replaced. */
  skipLines: number;
}

export function newCursor(file: string, skipLines = 0): TailCursor {
  return { file, offset: 0, lines: 0, skipLines };
}

const decoder = new TextDecoder();


export interface TailRead {
  entries: Entry[];
  /** The file no longer exists (deleted by the disk cap, or renamed by an upstream receiver's rotation). */
  gone: boolean;
}

/**
 * Advances `cur` over the content that is complete now. `final` says the file can no longer grow (a newer data file
 * exists): then a trailing incomplete frame or line is damage, reported and passed over, instead of "not yet".
 */
export async function readNewEntries(dir: string, cur: TailCursor, final: boolean, onProblem: (p: ReadProblem) => void): Promise<TailRead> {
  let fd: number;
  try {
    fd = openSync(join(dir, cur.file), "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], gone: true };
    throw e;
  }
  let bytes: Uint8Array;
  try {
    const size = fstatSync(fd).size;
    if (size <= cur.offset) return { entries: [], gone: false };
    bytes = readAt(fd, cur.offset, size - cur.offset);
  } finally {
    closeSync(fd);
  }
  const texts: string[] = [];
  if (isCompressedName(cur.file)) {
    const spans = scanZstdFrames(bytes);
    let lastFrame = -1;
    spans.forEach((s, i) => (s.kind === "frame" ? (lastFrame = i) : undefined));
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      const at = cur.offset;
      if (span.kind === "frame") {
        try {
          texts.push(decoder.decode(await Bun.zstdDecompress(bytes.subarray(span.offset, span.offset + span.length))));
        } catch (e) {
          onProblem({ file: cur.file, offset: at, kind: "corrupt", detail: `zstd frame does not decode: ${(e as Error).message}` });
        }
      } else if (i < lastFrame || final) {
        // Damage with complete frames after it, or the end of a file that is finished: pass over it.
        const torn = i > lastFrame;
        onProblem(
          torn
            ? { file: cur.file, offset: at, kind: "torn-tail", detail: `incomplete zstd frame (${span.length} bytes) at end of file` }
            : { file: cur.file, offset: at, kind: "corrupt", detail: `${span.length} bytes are not a zstd frame` },
        );
      } else break; // a frame still being written (bytes that look like garbage may be its partial content)
      cur.offset += span.length;
    }
  } else {
    let end = bytes.lastIndexOf(10) + 1;
    // A finished plain file may end without a newline; its last line is read as is, as every reader does.
    if (final) end = bytes.length;
    texts.push(decoder.decode(bytes.subarray(0, end)));
    cur.offset += end;
  }
  const entries: Entry[] = [];
  for (const text of texts) {
    let start = 0;
    while (start < text.length) {
      let stop = text.indexOf("\n", start);
      if (stop < 0) stop = text.length;
      const line = text.slice(start, stop);
      start = stop + 1;
      cur.lines++;
      if (cur.skipLines > 0) {
        cur.skipLines--;
        continue;
      }
      if (line === "") continue;
      const e = decodeEntryLine(line);
      if (e !== null) entries.push(e);
    }
  }
  return { entries, gone: false };
}
