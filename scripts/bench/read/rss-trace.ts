/**
 * RSS over time of a command (VmRSS polled every 50 ms from /proc/PID/status): shows whether a process's memory
 * plateaus or keeps growing with the amount of data it has processed.
 *
 * Run: bun scripts/bench/read/rss-trace.ts [--every 1000] -- CMD ARGS...
 * Prints one line per --every ms: elapsed, VmRSS, VmHWM (MB); then the peak.
 */

import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
let every = 1000;
const dd = argv.indexOf("--");
if (dd > 0) {
  const i = argv.indexOf("--every");
  if (i >= 0 && i < dd) every = Number(argv[i + 1]);
}
const cmd = dd >= 0 ? argv.slice(dd + 1) : argv;
const t0 = performance.now();
const p = Bun.spawn(cmd, { stdout: "inherit", stderr: "inherit" });
let peak = 0;
let lastPrint = -Infinity;
const field = (s: string, k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) / 1024;
while (p.exitCode === null) {
  try {
    const s = readFileSync(`/proc/${p.pid}/status`, "utf8");
    const rss = field(s, "VmRSS");
    const hwm = field(s, "VmHWM");
    peak = Math.max(peak, hwm, rss);
    const t = performance.now() - t0;
    if (t - lastPrint >= every) {
      console.error(`${(t / 1000).toFixed(1).padStart(6)} s  RSS ${rss.toFixed(0).padStart(5)} MB  HWM ${hwm.toFixed(0).padStart(5)} MB`);
      lastPrint = t;
    }
  } catch {
    break;
  }
  await Bun.sleep(50);
}
await p.exited;
console.error(`exit ${p.exitCode} after ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${peak.toFixed(0)} MB`);
