/**
 * A streaming tar reader (ustar, PAX local headers, GNU long names). It reports every entry with its real type —
 * deciding what is acceptable is the caller's job — and hands out each body as a stream of pieces.
 */

import { ByteReader } from "./byte-reader.ts";
import { BLOCK, decodeHeader, isZeroBlock, TYPE } from "./header.ts";
import { parsePaxRecords } from "./pax.ts";

/** PAX and GNU long-name bodies are held in memory; no honest archive needs more than this for a name. */
const MAX_META_BODY = 1 << 20;

export type TarEntryKind = "file" | "directory" | "hardlink" | "symlink" | "char-device" | "block-device" | "fifo" | "other";

export interface TarEntry {
  name: string;
  kind: TarEntryKind;
  /** The raw type flag, for messages about unsupported entries. */
  typeflag: string;
  size: number;
  mode: number;
  mtime: number;
  linkname: string;
}

const KIND: Record<string, TarEntryKind> = {
  [TYPE.file]: "file",
  [TYPE.contiguous]: "file",
  [TYPE.hardLink]: "hardlink",
  [TYPE.symlink]: "symlink",
  [TYPE.charDevice]: "char-device",
  [TYPE.blockDevice]: "block-device",
  [TYPE.directory]: "directory",
  [TYPE.fifo]: "fifo",
};

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * Yields `{entry, body}`; a body the caller does not read is skipped. Ends at the end-of-archive marker; a
 * stream that ends before it (inside an entry or between entries) is an error.
 */
export async function* readTar(stream: ReadableStream<Uint8Array>): AsyncGenerator<{ entry: TarEntry; body: AsyncIterable<Uint8Array> }> {
  const input = new ByteReader(stream);
  try {
    let pax: Record<string, string> = {};
    let longName: string | null = null;
    let longLink: string | null = null;
    for (;;) {
      const block = await input.read(BLOCK);
      // Every tar writer ends with zero blocks; a stream that simply stops was cut short.
      if (block === null) throw new Error("unexpected end of archive (no end-of-archive marker)");
      if (isZeroBlock(block)) return;
      const h = decodeHeader(block);
      if (h.typeflag === TYPE.paxLocal || h.typeflag === TYPE.paxGlobal || h.typeflag === TYPE.gnuLongName || h.typeflag === TYPE.gnuLongLink) {
        if (h.size > MAX_META_BODY) throw new Error(`invalid tar archive: ${h.size}-byte extended header`);
        const padded = await input.read(h.size + padding(h.size));
        if (padded === null && h.size > 0) throw new Error("unexpected end of archive");
        const body = padded?.subarray(0, h.size) ?? new Uint8Array(0);
        // Global PAX records would apply to every later entry; our snapshots never write them, so they are ignored.
        if (h.typeflag === TYPE.paxLocal) pax = { ...pax, ...parsePaxRecords(body) };
        else if (h.typeflag === TYPE.gnuLongName) longName = cString(body);
        else if (h.typeflag === TYPE.gnuLongLink) longLink = cString(body);
        continue;
      }
      // PAX records of the preceding extended header override the ustar fields of this entry only.
      const size = pax.size !== undefined ? Number(pax.size) : h.size;
      if (!Number.isSafeInteger(size) || size < 0) throw new Error("invalid tar header: bad size");
      const name = pax.path ?? longName ?? (h.posix && h.prefix !== "" ? `${h.prefix}/${h.name}` : h.name);
      let kind: TarEntryKind = KIND[h.typeflag] ?? "other";
      // Pre-POSIX archives mark directories only by a trailing slash on an untyped entry.
      if (h.typeflag === TYPE.oldFile) kind = name.endsWith("/") ? "directory" : "file";
      const entry: TarEntry = { name, kind, typeflag: h.typeflag, size, mode: h.mode, mtime: h.mtime, linkname: pax.linkpath ?? longLink ?? h.linkname };
      pax = {};
      longName = null;
      longLink = null;
      // A body the caller leaves (partly) unread is skipped, so the next header is always found.
      let left = size;
      let started = false;
      const body = {
        async *[Symbol.asyncIterator]() {
          if (started) throw new Error("tar entry body read twice");
          started = true;
          for await (const piece of input.pieces(left)) {
            left -= piece.length;
            yield piece;
          }
        },
      };
      yield { entry, body };
      await input.skip(left);
      await input.skip(padding(size));
    }
  } finally {
    await input.cancel();
  }
}
