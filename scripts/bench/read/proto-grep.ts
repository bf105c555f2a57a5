/**
 * Prototype of faster full-scan schedules for `logtap grep PATTERN DIR --count` (literal patterns), run as a fresh
 * process like the CLI so cold-start JIT costs are included. Same output as the CLI: `file\tcount` lines.
 *
 * Run: bun scripts/bench/read/proto-grep.ts --mode base|unsafe|mmap|workers [--workers 2] PATTERN DIR
 *
 *   base     the product's schedule (capture-reader.ts): pread each frame into a new zero-filled Uint8Array on the
 *            main thread, 4 Bun.zstdDecompress in flight on the thread pool, Buffer.indexOf for the literal on the
 *            main thread, JSON.parse + regex on candidate lines
 *   base-decode  as base, with the product's decodeEntryLine instead of a bare JSON.parse
 *   unsafe   as base, but frames are read into Buffer.allocUnsafe (no zero-fill)
 *   mmap     as base, but frames are subarrays of Bun.mmap(file) (no read, no copy on the main thread)
 *   product-reader    the product's CaptureReader.batches() + EntryFilter.matches, no streams
 *   product-pipeline  + captureSource → FilterEntriesStream → CountByFileSink (the CLI's assembly, minus the CLI)
 *   workers  N Workers each take every N-th frame: mmap + zstdDecompressSync + indexOf, and post back only the
 *            candidate lines; the main thread does JSON.parse + regex + counting. The literal scan (the main
 *            thread's biggest cost in base) then runs on both cores next to decompression.
 *
 * The exact per-entry decision (JSON.parse, then the regex on msg or label values) is kept in every mode.
 */

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { mode: { type: "string", default: "base" }, workers: { type: "string", default: "2" } },
});
const [pattern, dirArg] = positionals as [string, string];
const DIR = resolve(dirArg);
const re = new RegExp(pattern);
const lit = Buffer.from(pattern); // the benchmark pattern is a plain literal

interface Frame { file: string; offset: number; length: number }
const frames: Frame[] = [];
for (const l of readFileSync(join(DIR, "index.jsonl"), "utf8").trim().split("\n")) {
  const e = JSON.parse(l) as { file: string; frames: { offset: number; length: number }[] };
  for (const f of e.frames) frames.push({ file: e.file, offset: f.offset, length: f.length });
}

const counts = new Map<string, number>();
const dec = new TextDecoder();
const { decodeEntryLine } = args.mode === "base-decode" ? await import("../../../src/capture/entry-line.ts") : { decodeEntryLine: null };
function matchLine(file: string, line: string): void {
  const o = (decodeEntryLine ? decodeEntryLine(line) : JSON.parse(line)) as { msg?: string; labels?: Record<string, string> };
  let hit = re.test(o.msg ?? "");
  if (!hit && o.labels) for (const k in o.labels) if (re.test(o.labels[k]!)) hit = true;
  if (hit) counts.set(file, (counts.get(file) ?? 0) + 1);
}
function scan(file: string, bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = buf.indexOf(lit);
  while (at >= 0) {
    const start = buf.lastIndexOf(10, at) + 1;
    let end = buf.indexOf(10, at);
    if (end < 0) end = buf.length;
    matchLine(file, dec.decode(buf.subarray(start, end)));
    at = buf.indexOf(lit, end);
  }
}

function* units(mode: string): Generator<{ file: string; bytes: Uint8Array }> {
  let fd = -1;
  let cur = "";
  let map: Uint8Array | null = null;
  for (const f of frames) {
    if (f.file !== cur) {
      if (fd >= 0) closeSync(fd);
      cur = f.file;
      if (mode === "mmap") map = Bun.mmap(join(DIR, f.file), { shared: false });
      else fd = openSync(join(DIR, f.file), "r");
    }
    if (mode === "mmap") {
      yield { file: f.file, bytes: map!.subarray(f.offset, f.offset + f.length) };
      continue;
    }
    const b = mode === "unsafe" ? Buffer.allocUnsafe(f.length) : new Uint8Array(f.length);
    readSync(fd, b, 0, f.length, f.offset);
    yield { file: f.file, bytes: b };
  }
  if (fd >= 0) closeSync(fd);
}

async function pooled(mode: string): Promise<void> {
  const it = units(mode);
  const win: { file: string; p: Promise<Uint8Array> }[] = [];
  const refill = () => {
    while (win.length < 4) {
      const n = it.next();
      if (n.done) return;
      win.push({ file: n.value.file, p: Bun.zstdDecompress(n.value.bytes) });
    }
  };
  refill();
  while (win.length) {
    const { file, p } = win.shift()!;
    const bytes = await p;
    refill();
    scan(file, bytes);
  }
}

const WORKER = `
const lit = Buffer.from(${JSON.stringify(pattern)});
const dec = new TextDecoder();
self.onmessage = (ev) => {
  const { dir, frames } = ev.data;
  const maps = new Map();
  let out = [];
  for (const f of frames) {
    let m = maps.get(f.file);
    if (m === undefined) maps.set(f.file, (m = Bun.mmap(dir + "/" + f.file, { shared: false })));
    const bytes = Bun.zstdDecompressSync(m.subarray(f.offset, f.offset + f.length));
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let at = buf.indexOf(lit);
    while (at >= 0) {
      const start = buf.lastIndexOf(10, at) + 1;
      let end = buf.indexOf(10, at);
      if (end < 0) end = buf.length;
      out.push(f.i, dec.decode(buf.subarray(start, end)));
      at = buf.indexOf(lit, end);
    }
    // Small messages, often: the main thread parses while this worker decompresses on.
    if (out.length > 256) { postMessage(out); out = []; }
  }
  postMessage(out);
  postMessage(null);
};`;

async function workers(n: number): Promise<void> {
  const url = URL.createObjectURL(new Blob([WORKER], { type: "application/javascript" }));
  const indexed = frames.map((f, i) => ({ ...f, i }));
  await Promise.all(
    Array.from({ length: n }, (_, k) => new Promise<void>((res) => {
      const w = new Worker(url);
      w.onmessage = (ev) => {
        const d = ev.data as (number | string)[] | null;
        if (d === null) {
          w.terminate();
          res();
          return;
        }
        for (let i = 0; i < d.length; i += 2) matchLine(frames[d[i] as number]!.file, d[i + 1] as string);
      };
      // Interleaved frames keep both workers in the same region of the capture (what ordered output would need).
      w.postMessage({ dir: DIR, frames: indexed.filter((_, i) => i % n === k) });
    })),
  );
}

/** The product's own pieces, for bisecting the gap between this prototype and the CLI. */
async function product(mode: string): Promise<void> {
  const { CaptureReader } = await import("../../../src/capture/reader/capture-reader.ts");
  const { EntryFilter } = await import("../../../src/capture/filters/entry-filter.ts");
  const { requiredLiteralPrefilter } = await import("../../../src/regex/required-literals.ts");
  const filter = new EntryFilter({ regex: re });
  const reader = new CaptureReader(DIR, { filter, rawPrefilter: requiredLiteralPrefilter(pattern) ?? undefined });
  if (mode === "product-reader") {
    for await (const b of reader.batches()) for (const e of b.entries) if (filter.matches(e)) counts.set(b.file, (counts.get(b.file) ?? 0) + 1);
    return;
  }
  const { captureSource } = await import("../../../pipeline/sources/capture-source.ts");
  const { FilterEntriesStream } = await import("../../../pipeline/stages/filter-entries.ts");
  const { CountByFileSink } = await import("../../../pipeline/sinks/count-by-file-sink.ts");
  const sink = new CountByFileSink();
  await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
  for (const [f, c] of sink.counts) counts.set(f, c);
}

if (args.mode === "workers") await workers(Number(args.workers));
else if (args.mode!.startsWith("product")) await product(args.mode!);
else await pooled(args.mode === "base-decode" ? "base" : args.mode!);
const files = [...new Set(frames.map((f) => f.file))];
process.stdout.write(files.filter((f) => counts.has(f)).map((f) => `${f}\t${counts.get(f)}`).join("\n") + "\n");
