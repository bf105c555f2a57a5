/** Capture directories for export tests, written by the real CaptureWriter, and a real DuckDB to read exports back. */

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Entry } from "../../src/model/entry.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { newMetadata, writeMetadata } from "../../src/capture/metadata.ts";
import { readIndex } from "../../src/capture/index-file.ts";

export interface WriteCaptureOptions {
  started?: string;
  stopped?: string;
  frameBytes?: number;
  batch?: number;
}

/** Writes entries as the receiver would (zstd frames, index with frame records) plus a stopped metadata.json. */
export async function writeCapture(dir: string, entries: Iterable<Entry>, opts: WriteCaptureOptions = {}): Promise<number> {
  const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: true, frameBytes: opts.frameBytes });
  let batch: Entry[] = [];
  const size = opts.batch ?? 5000;
  for (const e of entries) {
    batch.push(e);
    if (batch.length === size) {
      await w.write(encodeJsonlBatch({ entries: batch }));
      batch = [];
    }
  }
  if (batch.length > 0) await w.write(encodeJsonlBatch({ entries: batch }));
  const totals = await w.close();
  const m = newMetadata(opts.started ?? "2024-01-15T10:00:00Z");
  m.stopped = opts.stopped ?? "2024-01-15T13:00:00Z";
  m.total_lines = totals.lines;
  m.total_bytes = totals.bytes;
  m.labels_seen = totals.labelKeys;
  writeMetadata(dir, m);
  return totals.lines;
}

const at = (iso: string, nsec = 0): { sec: number; nsec: number } => ({ sec: Date.parse(iso) / 1000, nsec });

/** Messages and labels that exercise every quoting rule of the export formats. */
export const TRICKY_ENTRIES: Entry[] = [
  { ...at("2024-01-15T10:00:00Z"), labels: { app: "web", env: "prod" }, msg: 'GET /index.html <200> & "ok"' },
  { ...at("2024-01-15T10:00:00Z", 500_000_000), labels: { app: "api" }, msg: "a,b,c" },
  { ...at("2024-01-15T10:00:01Z", 123_456_789), labels: { app: "web", "k;x": "v=1;w" }, msg: "line1\nline2" },
  { ...at("2024-01-15T10:30:00Z"), labels: {}, msg: " leading space" },
  { ...at("2024-01-15T11:05:00Z", 1), labels: { app: "a/b", zone: "eu" }, msg: "\\." },
  { ...at("2024-01-15T11:59:59Z", 999_000_000), labels: { app: "api" }, msg: "", meta: { trace_id: "t1" } },
  { ...at("2024-01-15T12:00:00Z"), labels: { app: "web" }, msg: "naïve ☃ \u2028 sep" },
];

/**
 * An upstream-style active file: a local-offset timestamp with a `.120` fraction, Go-escaped HTML, and the torn half
 * of a line the writer has not finished (skipped without a warning; a complete junk line would be named).
 */
export const UPSTREAM_ACTIVE_FILE = {
  name: "2099-01-01T000000-000.jsonl",
  text: '{"ts":"2024-01-15T13:00:00.120+01:00","labels":{"app":"api"},"msg":"offset \\u003cescaped\\u003e"}\n{"ts":"2024-01-15T13:00:01',
};

/** The tricky capture: 7 entries in zstd frames plus the upstream-style active file (8 rows in all). */
export async function writeTrickyCapture(dir: string): Promise<void> {
  await writeCapture(dir, TRICKY_ENTRIES);
  writeFileSync(join(dir, UPSTREAM_ACTIVE_FILE.name), UPSTREAM_ACTIVE_FILE.text);
}

/** Entries one second apart across several hours, apps in rotation. */
export function* spreadEntries(n: number, opts: { startSec?: number; stepMs?: number; apps?: string[] } = {}): Generator<Entry> {
  const apps = opts.apps ?? ["api", "web", "worker", "db"];
  const labels = apps.map((app) => Object.freeze({ app, namespace: "prod" }));
  const start = opts.startSec ?? Date.parse("2024-01-15T10:00:00Z") / 1000;
  const step = opts.stepMs ?? 1000;
  for (let i = 0; i < n; i++) {
    const ms = i * step;
    yield {
      sec: start + Math.floor(ms / 1000),
      nsec: (ms % 1000) * 1_000_000 + (i % 1000),
      labels: labels[(i * 7 + (i >> 3)) % labels.length]!,
      msg: `req ${i} ${i % 13 === 0 ? "level=error timeout talking to upstream" : "level=info ok"} user=${i % 97}`,
    };
  }
}

/** Every file under a directory, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs SQL in a fresh in-memory DuckDB (session time zone UTC) and returns rows with JSON-safe values. */
export async function duck(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const r = await c.runAndReadAll(sql, params as never);
    return r.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

export function ensureDir(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}

/** A capture of 5,000 entries in 16 KiB frames with one frame in the middle overwritten with garbage. */
export async function corruptedCapture(dir: string): Promise<{ total: number; lost: number; file: string; offset: number }> {
  const total = await writeCapture(dir, spreadEntries(5000), { frameBytes: 16 << 10, batch: 250 });
  const [idx] = readIndex(dir);
  const path = join(dir, idx!.file);
  const bytes = new Uint8Array(readFileSync(path));
  const victim = idx!.frames![3]!;
  for (let i = victim.offset + 20; i < victim.offset + 60; i++) bytes[i] = bytes[i]! ^ 0x5a;
  writeFileSync(path, bytes);
  return { total, lost: victim.lines, file: idx!.file, offset: victim.offset };
}
