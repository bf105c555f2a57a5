/**
 * The last N entries of a capture that pass a filter, read from the newest data file backwards (zstd frames are
 * decoded newest first, so a long file costs only the frames needed), and the cursor to follow the newest file from.
 */

import { closeSync, fstatSync, openSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../../model/entry.ts";
import { isCompressedName } from "../data-files.ts";
import { decodeEntryLine } from "../entry-line.ts";
import type { EntryFilter } from "../filters/entry-filter.ts";
import type { ReadProblem } from "../reader/read-problem.ts";
import { scanZstdFrames } from "../reader/zstd-frames.ts";
import { newCursor, type TailCursor } from "./file-tail.ts";
import { readAt } from "../read-at.ts";

const decoder = new TextDecoder();
const PLAIN_CHUNK = 4 << 20;

function parseLines(text: string, filter: EntryFilter): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const e = decodeEntryLine(line);
    if (e !== null && filter.matches(e)) out.push(e);
  }
  return out;
}

interface FileTail {
  entries: Entry[];
  /** Consumed bytes and lines: up to the last complete frame, or the last newline of a plain file. */
  end: number;
  lines: number;
}

/**
 * The last `n` matching entries of one file (n = 0 still measures where its complete content ends). A `final` plain
 * file's last line counts even without a newline, as every reader reads it; a growing file's does not yet.
 */
async function fileTail(dir: string, name: string, n: number, filter: EntryFilter, final: boolean, onProblem: (p: ReadProblem) => void): Promise<FileTail | null> {
  let fd: number;
  try {
    fd = openSync(join(dir, name), "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    if (isCompressedName(name)) {
      const bytes = readAt(fd, 0, size);
      const frames = scanZstdFrames(bytes).filter((s) => s.kind === "frame");
      const end = frames.length > 0 ? frames[frames.length - 1]!.offset + frames[frames.length - 1]!.length : 0;
      let entries: Entry[] = [];
      for (let i = frames.length - 1; i >= 0 && entries.length < n; i--) {
        const f = frames[i]!;
        try {
          const text = decoder.decode(await Bun.zstdDecompress(bytes.subarray(f.offset, f.offset + f.length)));
          entries = parseLines(text, filter).concat(entries);
        } catch (e) {
          onProblem({ file: name, offset: f.offset, kind: "corrupt", detail: `zstd frame does not decode: ${(e as Error).message}` });
        }
      }
      return { entries: entries.slice(Math.max(0, entries.length - n)), end, lines: 0 };
    }
    // Plain JSONL: one pass forward, keeping the last n matches; only complete (newline-terminated) lines count.
    let entries: Entry[] = [];
    let off = 0;
    let lines = 0;
    let carry = new Uint8Array(0);
    while (off < size) {
      const chunk = readAt(fd, off, Math.min(PLAIN_CHUNK, size - off));
      off += chunk.length;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = buf.lastIndexOf(10) + 1;
      carry = buf.slice(cut);
      const text = decoder.decode(buf.subarray(0, cut));
      lines += text.split("\n").length - 1;
      if (n > 0) {
        entries = entries.concat(parseLines(text, filter));
        if (entries.length > 4 * n + 1024) entries = entries.slice(entries.length - n);
      }
      if (chunk.length === 0) break;
    }
    if (final && carry.length > 0) {
      entries = entries.concat(parseLines(decoder.decode(carry), filter));
      carry = new Uint8Array(0);
    }
    return { entries: entries.slice(Math.max(0, entries.length - n)), end: off - carry.length, lines };
  } finally {
    closeSync(fd);
  }
}

/**
 * The last `n` entries passing `filter` across `names` (data files in name order, newest last) and a cursor at the
 * end of the newest file's complete content. `live`: the newest file may still grow. Files that vanish meanwhile
 * are passed over.
 */
export async function lastEntries(
  dir: string,
  names: readonly string[],
  n: number,
  filter: EntryFilter,
  live: boolean,
  onProblem: (p: ReadProblem) => void,
): Promise<{ entries: Entry[]; cursor: TailCursor }> {
  let entries: Entry[] = [];
  let cursor: TailCursor | null = null;
  for (let i = names.length - 1; i >= 0; i--) {
    if (cursor !== null && entries.length >= n) break;
    const name = names[i]!;
    const tail = await fileTail(dir, name, n - entries.length, filter, !(live && cursor === null), onProblem);
    if (tail === null) continue;
    if (cursor === null) cursor = { ...newCursor(name), offset: tail.end, lines: tail.lines };
    entries = tail.entries.concat(entries);
  }
  return { entries, cursor: cursor ?? newCursor("") };
}
