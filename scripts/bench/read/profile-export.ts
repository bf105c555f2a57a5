/**
 * Where `logtap export --format parquet` spends its time and memory: the stages of the export path timed in
 * isolation with the product's own modules (nothing copied), on a benchmark capture.
 *
 * Run: node_modules/.bin/bun scripts/bench/read/profile-export.ts [--dir /tmp/logtap-bench-capture-0.1g]
 *        [--stage read,write,both]
 *
 *   read    CaptureReader.batches(): read + zstd + line split + JSON.parse → entries (what every reading command pays)
 *   write   ParquetFileWriter.add/close over entries already in memory (pure Parquet encoding + page zstd)
 *   both    read → write, as the export pipeline minus the WHATWG stream plumbing
 *   trace   as both, printing RSS vs live JS heap every 250k rows (run it alone: --stage trace)
 *
 * Each stage runs in a fresh process (so peak RSS is its own) and reports wall, CPU and peak RSS (VmHWM).
 */

import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Entry } from "../../../src/model/entry.ts";
import { CaptureReader } from "../../../src/capture/reader/capture-reader.ts";
import { ParquetFileWriter } from "../../../src/export/parquet-file-writer.ts";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/logtap-bench-capture-0.1g" },
    stage: { type: "string" },
    out: { type: "string", default: "/tmp/logtap-bench-read/profile.parquet" },
  },
});
const DIR = resolve(args.dir!);

function hwmMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function run(stage: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  let pre = 0;
  if (stage === "read") {
    for await (const b of new CaptureReader(DIR).batches()) rows += b.entries.length;
  } else if (stage === "write") {
    // Decode first (untimed), then time the writer alone.
    const all: Entry[][] = [];
    for await (const b of new CaptureReader(DIR).batches()) all.push(b.entries);
    pre = performance.now() - t0;
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const w = new ParquetFileWriter(args.out!);
    for (const e of all) {
      w.add(e);
      rows += e.length;
    }
    w.close();
    report(stage, rows, performance.now() - t1, process.cpuUsage(c1), `(decoding beforehand: ${pre.toFixed(0)} ms; RSS includes all entries in memory)`);
    rmSync(args.out!, { force: true });
    return;
  } else if (stage === "trace") {
    // Memory per 250k rows: is it the live JS heap that grows, or memory the allocator does not give back?
    const { heapStats } = await import("bun:jsc");
    const w = new ParquetFileWriter(args.out!);
    let next = 0;
    for await (const b of new CaptureReader(DIR).batches()) {
      w.add(b.entries);
      rows += b.entries.length;
      if (rows >= next) {
        next += 250_000;
        const h = heapStats();
        const mu = process.memoryUsage();
        console.log(
          `  ${rows.toLocaleString("en").padStart(10)} rows  RSS ${(mu.rss / 2 ** 20).toFixed(0).padStart(4)} MB  JS heap ${(h.heapSize / 2 ** 20).toFixed(0).padStart(4)} MB` +
            ` (capacity ${(h.heapCapacity / 2 ** 20).toFixed(0)}, extra ${(h.extraMemorySize / 2 ** 20).toFixed(0)} MB, ${h.objectCount.toLocaleString("en")} objects)` +
            `  arrayBuffers ${(mu.arrayBuffers / 2 ** 20).toFixed(0)} MB`,
        );
      }
    }
    w.close();
    const { heapStats: hs } = await import("bun:jsc");
    Bun.gc(true);
    const h = hs();
    const top = Object.entries(h.objectTypeCounts).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(`  after close + full GC: RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB, JS heap ${(h.heapSize / 2 ** 20).toFixed(0)} MB; top object types: ${top}`);
    rmSync(args.out!, { force: true });
  } else {
    const w = new ParquetFileWriter(args.out!);
    for await (const b of new CaptureReader(DIR).batches()) {
      w.add(b.entries);
      rows += b.entries.length;
    }
    w.close();
    rmSync(args.out!, { force: true });
  }
  report(stage, rows, performance.now() - t0, process.cpuUsage(c0), "");
}

function report(stage: string, rows: number, wallMs: number, cpu: NodeJS.CpuUsage, note: string): void {
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${stage.padEnd(6)} ${rows.toLocaleString("en")} rows  wall ${wallMs.toFixed(0)} ms  cpu ${cpuMs.toFixed(0)} ms  ` +
      `${Math.round(rows / (wallMs / 1000)).toLocaleString("en")} rows/s  ${((cpuMs * 1000) / rows).toFixed(2)} µs CPU/row  peak RSS ${hwmMB().toFixed(0)} MB ${note}`,
  );
}

if (args.stage) {
  await run(args.stage);
} else {
  for (const s of ["read", "write", "both"]) {
    const p = Bun.spawnSync([process.execPath, import.meta.path, "--dir", DIR, "--stage", s, "--out", args.out!], { stdout: "inherit", stderr: "inherit", env: process.env });
    if (p.exitCode !== 0) process.exit(p.exitCode ?? 1);
  }
}
