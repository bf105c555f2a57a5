/**
 * Writes entries to one Parquet file with bounded memory: rows are buffered column-wise and written as a row group
 * (zstd pages, via hyparquet-writer's streaming ParquetWriter) whenever the buffer reaches a row or byte limit, so
 * memory does not grow with the number of rows exported.
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { Entry, Labels } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";
import { FILE_MODE } from "../capture/file-modes.ts";
import { PARQUET_SCHEMA, PARQUET_SCHEMA_WITH_PATTERN, type MapValue } from "./parquet-schema.ts";
import { relieveMemory } from "./memory-relief.ts";
import { sortedKeys } from "./sorted-keys.ts";
import type { RowFileWriter } from "./row-file.ts";

export const DEFAULT_ROW_GROUP_ROWS = 65_536;
/** Buffered message + label bytes that close a row group early (large messages). */
export const DEFAULT_ROW_GROUP_BYTES = 16 << 20;
const FILE_CHUNK = 1 << 20;
const IDLE_BUFFER = 64 << 10;
const ZSTD_LEVEL = 3;

const EMPTY_MAP: MapValue = Object.freeze([]) as unknown as MapValue;

/**
 * hyparquet-writer's byte writer, emptied into a file descriptor whenever it holds more than 1 MiB. After each row
 * group (the library calls flush()) a grown buffer is given back, so an idle writer holds 64 KiB.
 */
class FdWriter extends ByteWriter {
  readonly #fd: number;

  constructor(fd: number) {
    super(IDLE_BUFFER);
    this.#fd = fd;
  }

  override ensure(size: number): void {
    if (this.index > FILE_CHUNK) this.#drain();
    super.ensure(size);
  }

  flush(): void {
    this.#drain();
    if (this.buffer.byteLength > IDLE_BUFFER) {
      this.buffer = new ArrayBuffer(IDLE_BUFFER);
      this.view = new DataView(this.buffer);
    }
  }

  override finish(): void {
    this.#drain();
  }

  #drain(): void {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.#fd, bytes, off, bytes.length - off);
    this.index = 0;
  }
}

function compressZstd(input: Uint8Array): Uint8Array {
  return Bun.zstdCompressSync(input, { level: ZSTD_LEVEL });
}

function mapValue(map: Labels): MapValue {
  const keys = sortedKeys(map);
  if (keys.length === 0) return EMPTY_MAP;
  const out: MapValue = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = { key: keys[i]!, value: map[keys[i]!]! };
  return out;
}

export interface ParquetFileWriterOptions {
  rowGroupRows?: number;
  rowGroupBytes?: number;
  /** Add the `pattern` and `pattern_id` columns. */
  withPattern?: boolean;
}

export class ParquetFileWriter implements RowFileWriter {
  readonly path: string;
  readonly #fd: number;
  readonly #out: FdWriter;
  readonly #pq: ParquetWriter;
  readonly #maxRows: number;
  readonly #maxBytes: number;
  #ts: BigInt64Array;
  #labels: MapValue[] = [];
  #msgs: string[] = [];
  #meta: (MapValue | null)[] = [];
  readonly #withPattern: boolean;
  #patterns: (string | null)[] = [];
  #patternIds: (string | null)[] = [];
  #rows = 0;
  #bytes = 0;
  #closed = false;
  // Entries of one stream often share a labels object; reuse the converted map for consecutive rows.
  #lastLabels: Labels | null = null;
  #lastLabelsValue: MapValue = EMPTY_MAP;

  constructor(path: string, opts: ParquetFileWriterOptions = {}) {
    this.path = path;
    this.#maxRows = opts.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    this.#maxBytes = opts.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
    this.#ts = new BigInt64Array(Math.min(this.#maxRows, 1024));
    this.#withPattern = opts.withPattern === true;
    this.#fd = openSync(path, "w", FILE_MODE);
    this.#out = new FdWriter(this.#fd);
    this.#pq = new ParquetWriter({
      writer: this.#out,
      schema: this.#withPattern ? PARQUET_SCHEMA_WITH_PATTERN : PARQUET_SCHEMA,
      codec: "ZSTD",
      compressors: { ZSTD: compressZstd },
      createdBy: "logtap",
    });
  }

  get bufferedBytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#out.offset;
  }

  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const r = this.#rows;
      if (r === this.#ts.length) this.#grow();
      this.#ts[r] = BigInt(e.sec) * 1_000_000_000n + BigInt(e.nsec);
      if (e.labels !== this.#lastLabels) {
        this.#lastLabels = e.labels;
        this.#lastLabelsValue = mapValue(e.labels);
      }
      this.#labels.push(this.#lastLabelsValue);
      this.#msgs.push(e.msg);
      this.#meta.push(e.meta === undefined ? null : mapValue(e.meta));
      if (this.#withPattern) {
        const p = patterns?.[i] ?? null;
        this.#patterns.push(p === null ? null : p.text);
        this.#patternIds.push(p === null ? null : p.id);
      }
      this.#rows = r + 1;
      this.#bytes += 48 + e.msg.length * 2 + this.#lastLabelsValue.length * 64;
      if (this.#rows >= this.#maxRows || this.#bytes >= this.#maxBytes) this.flushRowGroup();
    }
  }

  /** Writes the buffered rows as one row group (no-op when empty). */
  flushRowGroup(): void {
    const rows = this.#rows;
    if (rows === 0) return;
    const columnData: { name: string; data: unknown[] | BigInt64Array; statistics?: boolean }[] = [
      { name: "ts", data: this.#ts.subarray(0, rows) },
      { name: "labels", data: this.#labels },
      { name: "msg", data: this.#msgs, statistics: false },
      { name: "meta", data: this.#meta, statistics: false },
    ];
    if (this.#withPattern) columnData.push({ name: "pattern", data: this.#patterns, statistics: false }, { name: "pattern_id", data: this.#patternIds, statistics: false });
    this.#pq.write({ columnData, rowGroupSize: rows });
    this.#labels = [];
    this.#msgs = [];
    this.#meta = [];
    this.#patterns = [];
    this.#patternIds = [];
    this.#rows = 0;
    this.#bytes = 0;
    this.#lastLabels = null;
    relieveMemory();
  }

  close(): number {
    if (this.#closed) return this.#out.offset;
    try {
      this.flushRowGroup();
      this.#pq.finish();
    } finally {
      this.#closed = true;
      closeSync(this.#fd);
    }
    return this.#out.offset;
  }

  discard(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // already unusable
    }
  }

  #grow(): void {
    const next = new BigInt64Array(Math.min(this.#maxRows, this.#ts.length * 2));
    next.set(this.#ts);
    this.#ts = next;
  }
}
