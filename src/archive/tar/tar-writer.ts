/**
 * A streaming tar (ustar + PAX) writer: yields the archive in 1 MiB chunks while reading files piece by piece, so
 * packing a multi-GB capture holds about two chunks in memory.
 *
 * @example
 * await tarStream(items).pipeThrough(new CompressionStream("zstd")).pipeTo(fileSink);
 */

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { BLOCK, encodeHeader, MAX_OCTAL_SIZE, TYPE } from "./header.ts";
import { placeName, truncateUtf8 } from "./entry-name.ts";
import { encodePaxRecords } from "./pax.ts";

const CHUNK = 1 << 20;

/** Chunks own their ArrayBuffer, which is what CompressionStream's types ask for. */
type Bytes = Uint8Array<ArrayBuffer>;

export interface TarSourceItem {
  /** Path inside the archive, `/`-separated, relative, without a trailing slash. */
  path: string;
  kind: "file" | "directory";
  /** File to read the bytes from (files only). */
  source: string;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface TarWriteEvents {
  /** Bytes of file content read so far, for progress. */
  onFileBytes?(n: number): void;
  /** The file disappeared between planning and reading (e.g. the disk cap of a live receiver deleted it). */
  onVanished?(item: TarSourceItem): void;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The header block(s) of one entry: a PAX header first when the name or size does not fit ustar. */
export function entryHeader(path: string, typeflag: string, size: number, mode: number, mtime: number): Uint8Array {
  const placed = placeName(path);
  const records: Record<string, string> = {};
  if (placed.pax !== undefined) records.path = placed.pax;
  if (size > MAX_OCTAL_SIZE) records.size = String(size);
  const main = encodeHeader({ name: placed.name, prefix: placed.prefix, mode, size, mtime, typeflag });
  if (Object.keys(records).length === 0) return main;
  const body = encodePaxRecords(records);
  const paxName = truncateUtf8(new TextEncoder().encode(`PaxHeaders/${path.replace(/\/$/, "").split("/").pop()}`), 100);
  const pax = encodeHeader({ name: paxName, mode: 0o644, size: body.length, mtime, typeflag: TYPE.paxLocal });
  const out = new Uint8Array(BLOCK + body.length + padding(body.length) + BLOCK);
  out.set(pax, 0);
  out.set(body, BLOCK);
  out.set(main, BLOCK + body.length + padding(body.length));
  return out;
}

async function* tarChunks(items: readonly TarSourceItem[], events: TarWriteEvents): AsyncGenerator<Bytes> {
  let buf = new Uint8Array(CHUNK);
  let fill = 0;
  // Full chunks are handed over and never touched again, so the consumer may keep them.
  function* put(bytes: Uint8Array): Generator<Bytes> {
    for (let off = 0; off < bytes.length; ) {
      const n = Math.min(bytes.length - off, CHUNK - fill);
      buf.set(bytes.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === CHUNK) {
        yield buf;
        buf = new Uint8Array(CHUNK);
        fill = 0;
      }
    }
  }
  for (const item of items) {
    if (item.kind === "directory") {
      yield* put(entryHeader(item.path + "/", TYPE.directory, 0, item.mode, item.mtime));
      continue;
    }
    let fd: number;
    try {
      fd = openSync(item.source, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      events.onVanished?.(item);
      continue;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error(`${item.path} is no longer a regular file`);
      // The size at open time is the size in the header; bytes appended later (a live capture) are not packed.
      const size = st.size;
      yield* put(entryHeader(item.path, TYPE.file, size, item.mode, item.mtime));
      for (let pos = 0; pos < size; ) {
        const n = readSync(fd, buf, fill, Math.min(CHUNK - fill, size - pos), pos);
        if (n === 0) throw new Error(`${item.path} shrank while it was being packed`);
        fill += n;
        pos += n;
        events.onFileBytes?.(n);
        if (fill === CHUNK) {
          yield buf;
          buf = new Uint8Array(CHUNK);
          fill = 0;
        }
      }
      yield* put(new Uint8Array(padding(size)));
    } finally {
      closeSync(fd);
    }
  }
  yield* put(new Uint8Array(2 * BLOCK));
  if (fill > 0) yield buf.subarray(0, fill);
}

export function tarStream(items: readonly TarSourceItem[], events: TarWriteEvents = {}): ReadableStream<Bytes> {
  const chunks = tarChunks(items, events);
  return new ReadableStream<Bytes>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
