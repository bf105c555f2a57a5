/** `index.jsonl`: one line per closed data file (upstream §2.5), extended with per-frame offsets and time ranges. */

import { appendFileSync, readFileSync, renameSync, writeFileSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { INDEX_FILE } from "./data-files.ts";
import { FILE_MODE } from "./file-modes.ts";
import { goQuote } from "./go-json.ts";

/** A contiguous run of lines in a data file; for `.zst` files exactly one independent zstd frame. */
export interface FrameRecord {
  /** Byte offset of the frame in the file as stored (compressed bytes for `.zst`). */
  offset: number;
  /** Stored length in bytes. */
  length: number;
  lines: number;
  from: string;
  to: string;
  /**
   * logtap extension, only in frames whose lines the receiver got at very different distances from their own
   * timestamps: the lines more than 10 minutes behind, the rest, the lines more than 10 minutes ahead (non-empty
   * ones, in time order). `from`/`to` keep their meaning (the whole frame); timelines use the parts, so one stray
   * timestamp does not smear a frame's lines over years. Upstream ignores it.
   */
  parts?: FramePart[];
}

export interface FramePart {
  lines: number;
  from: string;
  to: string;
}

export interface IndexEntry {
  file: string;
  from: string;
  to: string;
  lines: number;
  /** Uncompressed JSONL bytes. */
  bytes: number;
  labels?: Record<string, Record<string, number>>;
  /** logtap extension: lets readers seek to frames and skip those outside a time range. Upstream ignores it. */
  frames?: FrameRecord[];
}

function labelCountsJson(labels: Record<string, Record<string, number>>): string {
  const keys = Object.keys(labels).sort();
  return (
    "{" +
    keys
      .map((k) => {
        const values = labels[k]!;
        const vs = Object.keys(values).sort();
        return goQuote(k) + ":{" + vs.map((v) => goQuote(v) + ":" + values[v]).join(",") + "}";
      })
      .join(",") +
    "}"
  );
}

function partsJson(parts: FramePart[] | undefined): string {
  if (parts === undefined || parts.length === 0) return "";
  return `,"parts":[${parts.map((p) => `{"lines":${p.lines},"from":"${p.from}","to":"${p.to}"}`).join(",")}]`;
}

/** Serialises in upstream's field order so Go readers (and byte-level diffs) see the familiar shape. */
export function formatIndexLine(e: IndexEntry): string {
  let s = `{"file":${goQuote(e.file)},"from":"${e.from}","to":"${e.to}","lines":${e.lines},"bytes":${e.bytes}`;
  if (e.labels !== undefined && Object.keys(e.labels).length > 0) s += `,"labels":${labelCountsJson(e.labels)}`;
  if (e.frames !== undefined && e.frames.length > 0) {
    s +=
      `,"frames":[` +
      e.frames
        .map((f) => `{"offset":${f.offset},"length":${f.length},"lines":${f.lines},"from":"${f.from}","to":"${f.to}"${partsJson(f.parts)}}`)
        .join(",") +
      "]";
  }
  return s + "}";
}

export function appendIndexEntry(dir: string, e: IndexEntry): void {
  const path = join(dir, INDEX_FILE);
  closeSync(openSync(path, "a", FILE_MODE));
  appendFileSync(path, formatIndexLine(e) + "\n");
}

/** Reads the index leniently: blank and unparsable lines are skipped, as upstream's common reader does. */
export function readIndex(dir: string): IndexEntry[] {
  let text: string;
  try {
    text = readFileSync(join(dir, INDEX_FILE), "utf8");
  } catch {
    return [];
  }
  const out: IndexEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const v = JSON.parse(line);
      if (v && typeof v.file === "string") out.push(v as IndexEntry);
    } catch {
      // skipped like upstream
    }
  }
  return out;
}

/** Drops the lines naming `removed` files; written to a temp file and renamed so a crash never leaves half an index. */
export function removeFromIndex(dir: string, removed: ReadonlySet<string>): void {
  const path = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return;
  }
  const kept = text.split("\n").filter((line) => {
    if (line.trim() === "") return false;
    try {
      return !removed.has(JSON.parse(line).file);
    } catch {
      return true;
    }
  });
  const tmp = path + ".tmp";
  writeFileSync(tmp, kept.length > 0 ? kept.join("\n") + "\n" : "", { mode: FILE_MODE });
  renameSync(tmp, path);
}
