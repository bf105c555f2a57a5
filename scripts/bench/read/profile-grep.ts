/**
 * Where a full-scan `logtap grep --count` spends its time: the pieces of the read path timed in isolation on the
 * benchmark capture, and prototypes of faster schedules. Imports the product's reader as is (nothing copied).
 *
 * Run: node_modules/.bin/bun scripts/bench/read/profile-grep.ts [--dir /tmp/logtap-bench-capture-1g] [--reps 3]
 *
 *   read        pread of every frame (the plan's readAt), no decompression
 *   zstd-sync   + Bun.zstdDecompressSync per frame on the main thread (one core: the decompression floor)
 *   memmem      + Buffer.indexOf of the literal over the decompressed frames (no decompression timed)
 *   reader-N    the product CaptureReader.batches() with readAhead N (N = 4 is what grep uses)
 *   pipeline    the product grep assembly: captureSource → FilterEntriesStream → CountByFileSink
 *   worker-2    prototype: frames split over 2 Workers (each decompress+memmem), main thread only sums
 */

import { readFileSync, openSync, readSync, closeSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CaptureReader } from "../../../src/capture/reader/capture-reader.ts";
import { EntryFilter } from "../../../src/capture/filters/entry-filter.ts";
import { requiredLiteralPrefilter } from "../../../src/regex/required-literals.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../../pipeline/stages/filter-entries.ts";
import { CountByFileSink } from "../../../pipeline/sinks/count-by-file-sink.ts";
import { PATTERN } from "./make-capture.ts";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    reps: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const DIR = resolve(args.dir!);
const REPS = Number(args.reps);
const only = args.only ? new Set(args.only.split(",")) : null;

interface Frame { file: string; offset: number; length: number }
const frames: Frame[] = [];
for (const l of readFileSync(join(DIR, "index.jsonl"), "utf8").trim().split("\n")) {
  const e = JSON.parse(l) as { file: string; frames: { offset: number; length: number }[] };
  for (const f of e.frames) frames.push({ file: e.file, offset: f.offset, length: f.length });
}

/** Every frame of the capture, pread on demand (as the reader does). */
function* units(): Generator<Uint8Array> {
  let fd = -1;
  let cur = "";
  for (const f of frames) {
    if (f.file !== cur) {
      if (fd >= 0) closeSync(fd);
      fd = openSync(join(DIR, f.file), "r");
      cur = f.file;
    }
    const b = new Uint8Array(f.length);
    readSync(fd, b, 0, f.length, f.offset);
    yield b;
  }
  closeSync(fd);
}

const lit = Buffer.from(PATTERN);
function countLit(buf: Buffer): number {
  let n = 0;
  let at = buf.indexOf(lit);
  while (at >= 0) {
    n++;
    let end = buf.indexOf(10, at);
    if (end < 0) break;
    at = buf.indexOf(lit, end);
  }
  return n;
}

async function time(name: string, fn: () => Promise<number> | number): Promise<void> {
  if (only && !only.has(name.replace(/-\d+$/, "")) && !only.has(name.split(/[+-]/)[0]!) && !only.has(name)) return;
  const ts: number[] = [];
  let result = 0;
  for (let i = 0; i < REPS; i++) {
    // Start each rep on a quiet machine when possible (shared host), as run.ts does.
    Bun.spawnSync([process.execPath, join(import.meta.dir, "wait-quiet.ts"), "", "3000"]);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await fn();
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    ts.push(dt);
    if (i === REPS - 1) {
      ts.sort((a, b) => a - b);
      console.log(`${name.padEnd(12)} median ${ts[Math.floor(ts.length / 2)]!.toFixed(0).padStart(5)} ms  min ${ts[0]!.toFixed(0).padStart(5)} ms  cpu(last) ${((c.user + c.system) / 1000).toFixed(0).padStart(5)} ms  result ${result}`);
    }
  }
}

console.log(`${frames.length} frames in ${DIR}, pattern "${PATTERN}", ${REPS} reps, load ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`);

await time("read", () => [...units()].length);
const compressed = [...units()];
await time("zstd-sync", () => {
  let n = 0;
  for (const c of compressed) n += Bun.zstdDecompressSync(c).length;
  return n;
});
await time("zstd-async-4", async () => {
  // Bun.zstdDecompress (thread pool), 4 in flight, as the reader does; nothing else on the main thread.
  let n = 0;
  let i = 0;
  const win: Promise<Uint8Array>[] = [];
  while (i < compressed.length || win.length) {
    while (win.length < 4 && i < compressed.length) win.push(Bun.zstdDecompress(compressed[i++]!));
    n += (await win.shift()!).length;
  }
  return n;
});
await time("zstd-async-all", async () => {
  // Everything in flight at once: the most the thread pool can give.
  const all = await Promise.all(compressed.map((c) => Bun.zstdDecompress(c)));
  return all.reduce((a, b) => a + b.length, 0);
});
if (!only || only.has("memmem")) {
  const plain = compressed.slice(0, 200).map((c) => Buffer.from(Bun.zstdDecompressSync(c)));
  await time("memmem", () => {
    // On 200 frames, scaled to all frames.
    let n = 0;
    for (const p of plain) n += countLit(p);
    return Math.round((n * frames.length) / 200);
  });
}

// The reader's schedule rebuilt step by step: pread on demand + 4 decompressions in flight on the thread pool, then
// the literal scan, then JSON.parse of the candidate lines — to see which step costs what on top of decompression.
async function sched(step: number, ahead = 4): Promise<number> {
  const it = units();
  const win: Promise<Uint8Array>[] = [];
  const refill = () => {
    while (win.length < ahead) {
      const n = it.next();
      if (n.done) return;
      win.push(Bun.zstdDecompress(n.value));
    }
  };
  refill();
  let n = 0;
  const dec = new TextDecoder();
  while (win.length) {
    const bytes = await win.shift()!;
    refill();
    if (step === 0) {
      n += bytes.length;
      continue;
    }
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let at = buf.indexOf(lit);
    while (at >= 0) {
      const start = buf.lastIndexOf(10, at) + 1;
      let end = buf.indexOf(10, at);
      if (end < 0) end = buf.length;
      if (step >= 2) JSON.parse(dec.decode(buf.subarray(start, end)));
      n++;
      at = buf.indexOf(lit, end);
    }
  }
  return n;
}
await time("sched-read+zstd", () => sched(0));
await time("sched+memmem", () => sched(1));
await time("sched+parse", () => sched(2));
await time("sched+parse-8", () => sched(2, 8));

const prefilter = requiredLiteralPrefilter(PATTERN)!;
const filter = new EntryFilter({ regex: new RegExp(PATTERN) });
for (const ahead of [4, 8, 16]) {
  await time(`reader-${ahead}`, async () => {
    const r = new CaptureReader(DIR, { filter, rawPrefilter: prefilter, readAhead: ahead });
    let n = 0;
    for await (const b of r.batches()) n += b.entries.length;
    return n;
  });
}
await time("pipeline", async () => {
  const r = new CaptureReader(DIR, { filter, rawPrefilter: prefilter });
  const sink = new CountByFileSink();
  await captureSource(r).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
  return [...sink.counts.values()].reduce((a, b) => a + b, 0);
});

// Prototype: two Workers, each reads, decompresses (sync) and scans every other frame; candidates come back as
// counts (a real implementation would send back the candidate lines' bytes for JSON parsing and the exact regex).
const WORKER = `
const { openSync, readSync } = require("node:fs");
const lit = Buffer.from(${JSON.stringify(PATTERN)});
self.onmessage = (ev) => {
  const { dir, frames } = ev.data;
  const fds = new Map();
  let n = 0;
  for (const f of frames) {
    let fd = fds.get(f.file);
    if (fd === undefined) fds.set(f.file, (fd = openSync(dir + "/" + f.file, "r")));
    const c = new Uint8Array(f.length);
    readSync(fd, c, 0, f.length, f.offset);
    const buf = Buffer.from(Bun.zstdDecompressSync(c));
    let at = buf.indexOf(lit);
    while (at >= 0) { n++; const end = buf.indexOf(10, at); if (end < 0) break; at = buf.indexOf(lit, end); }
  }
  postMessage(n);
};`;
const workerUrl = URL.createObjectURL(new Blob([WORKER], { type: "application/javascript" }));
await time("worker-2", async () => {
  const parts = [0, 1].map((k) => frames.filter((_, i) => i % 2 === k));
  const counts = await Promise.all(
    parts.map(
      (p) =>
        new Promise<number>((res) => {
          const w = new Worker(workerUrl);
          w.onmessage = (ev) => {
            res(ev.data as number);
            w.terminate();
          };
          w.postMessage({ dir: DIR, frames: p });
        }),
    ),
  );
  return counts[0]! + counts[1]!;
});
process.exit(0);
