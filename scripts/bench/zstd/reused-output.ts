/**
 * Frame decompression as the readers do it, each way in a fresh process (page faults depend on how much memory the
 * process has already touched, so a warm loop in one process would hide the cost this measures):
 *   - `Bun.zstdDecompressSync` per frame (a new output buffer each time: what the readers did before);
 *   - the product's FrameDecompressor (src/capture/reader/frame-decompressor.ts: node:zlib's zstd handle writing
 *     into a released buffer);
 *   - `zstd -dc` of the same file to /dev/null, the floor a user's own tool gives.
 *
 *   node_modules/.bin/bun scripts/bench/zstd/reused-output.ts [--dir /tmp/logtap-bench-capture-1g] [--frames 200] [--runs 5]
 *
 * The capture is one the read benchmarks build (scripts/bench/read/make-capture.ts); its first data file is used.
 * Prints ms per frame and MB/s of decompressed bytes, medians of --runs fresh processes, and the ratios.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readIndex, type FrameRecord } from "../../../src/capture/index-file.ts";
import { FrameDecompressor } from "../../../src/capture/reader/frame-decompressor.ts";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    frames: { type: "string", default: "200" },
    runs: { type: "string", default: "5" },
    child: { type: "string" },
  },
});

function firstFile(dir: string): { path: string; frames: FrameRecord[] } {
  const name = readdirSync(dir).filter((n) => n.endsWith(".jsonl.zst")).sort()[0];
  const entry = readIndex(dir).find((e) => e.file === name);
  if (!name || !entry?.frames) throw new Error(`${dir}: no indexed .jsonl.zst file (build one with scripts/bench/read/make-capture.ts)`);
  return { path: join(dir, name), frames: entry.frames.slice(0, Number(args.frames)) };
}

if (args.child !== undefined) {
  // One variant in this fresh process: prints {ms, bytes}.
  const { path, frames } = firstFile(args.dir!);
  const file = readFileSync(path);
  const views = frames.map((f) => file.subarray(f.offset, f.offset + f.length));
  let bytes = 0;
  const t = performance.now();
  if (args.child === "bun") for (const v of views) bytes += Bun.zstdDecompressSync(v).length;
  else {
    const d = new FrameDecompressor(0);
    for (const v of views) {
      const out = d.decompress(v);
      bytes += out.length;
      d.release(out);
    }
  }
  console.log(JSON.stringify({ ms: performance.now() - t, bytes }));
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { path, frames } = firstFile(args.dir!);
const runs = Number(args.runs);
const results: Record<string, { ms: number; bytes: number }> = {};
for (const variant of ["bun", "reused"]) {
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const p = Bun.spawnSync([process.execPath, import.meta.path, "--child", variant, "--dir", args.dir!, "--frames", args.frames!]);
    const out = JSON.parse(p.stdout.toString()) as { ms: number; bytes: number };
    times.push(out.ms);
    bytes = out.bytes;
  }
  results[variant] = { ms: median(times), bytes };
}
// The CLI decompresses the whole file; scale its time to the frames measured.
const total = frames.reduce((n, f) => n + f.length, 0);
const cliTimes: number[] = [];
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  Bun.spawnSync(["sh", "-c", `head -c ${total} '${path}' | zstd -dc > /dev/null`]);
  cliTimes.push(performance.now() - t);
}
const n = frames.length;
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
console.log(`${n} frames of ${path}, ${(results.bun!.bytes / 2 ** 20).toFixed(0)} MiB decompressed; medians of ${runs} fresh processes\n`);
console.log("| way | ms per frame | MB/s | × reused |");
console.log("|---|---:|---:|---:|");
const reused = results.reused!.ms;
console.log(`| Bun.zstdDecompressSync, a new buffer per frame | ${(results.bun!.ms / n).toFixed(2)} | ${mbps(results.bun!.bytes, results.bun!.ms)} | ${(results.bun!.ms / reused).toFixed(2)} |`);
console.log(`| FrameDecompressor (reused buffer) | ${(reused / n).toFixed(2)} | ${mbps(results.reused!.bytes, reused)} | 1.00 |`);
console.log(`| \`zstd -dc\` of the same bytes (process start included) | ${(median(cliTimes) / n).toFixed(2)} | ${mbps(results.bun!.bytes, median(cliTimes))} | ${(median(cliTimes) / reused).toFixed(2)} |`);
