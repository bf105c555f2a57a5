/**
 * Triage throughput: `logtap triage --json` on a ≥ 1 GiB capture with `--jobs 1` and `--jobs 2`, in lines per second,
 * plus CPU time and peak memory. Targets (issue 6): ≥ 500,000 lines/s with one job, ≥ 1.7× that with two.
 *
 * Run: node_modules/.bin/bun scripts/bench/triage/run.ts [--capture /tmp/logtap-bench-capture-1g] [--binary dist/logtap]
 *        [--runs 5] [--warmup 1] [--jobs 1,2] [--quiet-wait-ms 5000] [--out /tmp/logtap-bench-triage]
 *
 * The capture is the read benchmark's (scripts/bench/read/make-capture.ts: the real receiver fed Loki protobuf
 * pushes; 2.6 M lines, 1.08 GB of JSONL). It is reused when its marker file is there and never rebuilt here (a
 * teammate's benchmark may be using it); without one, a capture of `--gib` is built under --own-capture instead.
 * Timing: hyperfine, warm page cache, each timed run preceded by scripts/bench/read/wait-quiet.ts (the machine is
 * shared), whose log says how many runs started with both cores free. The binary is copied first, because
 * dist/logtap may be rebuilt while this runs. The JSON of every job count is compared: it must be identical.
 */

import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { quietHyperfine, type Timed } from "../shared/quiet-hyperfine.ts";
import { ensureCapture, ROOT, type CaptureMarker } from "../read/make-capture.ts";

const { values: args } = parseArgs({
  options: {
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    "own-capture": { type: "string", default: "/tmp/logtap-bench-triage-capture" },
    gib: { type: "string", default: "1" },
    binary: { type: "string", default: "dist/logtap" },
    runs: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    jobs: { type: "string", default: "1,2" },
    "quiet-wait-ms": { type: "string", default: "5000" },
    out: { type: "string", default: "/tmp/logtap-bench-triage" },
  },
});
const OUT = resolve(args.out!);
mkdirSync(OUT, { recursive: true });
const BUN = process.execPath;
const BIN = join(OUT, "logtap");
const say = (s = "") => process.stdout.write(s + "\n");

const src = resolve(ROOT, args.binary!);
if (!existsSync(src)) throw new Error(`${src} not found: node_modules/.bin/bun scripts/build.ts`);
copyFileSync(src, BIN);
chmodSync(BIN, 0o755);

function markerOf(dir: string): CaptureMarker | null {
  const f = join(dir, ".bench-capture.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as CaptureMarker) : null;
}

let capture = markerOf(resolve(args.capture!));
if (capture === null) {
  say(`no benchmark capture at ${args.capture}; building one of ${args.gib} GiB at ${args["own-capture"]}`);
  capture = await ensureCapture({ dir: args["own-capture"]!, gib: Number(args.gib), binary: BIN });
}
const DIR = capture.dir;

function timeJobs(jobs: number): Timed & { jobs: number } {
  const cmd = `${BIN} triage ${DIR} --json --exit-zero --jobs ${jobs} > /dev/null 2>&1`;
  const o = { out: OUT, runs: Number(args.runs), warmup: Number(args.warmup), quietWaitMs: Number(args["quiet-wait-ms"]) };
  return { ...quietHyperfine(`jobs${jobs}`, [cmd], o)[0]!, jobs };
}

/** One more run for the result (compared across job counts) and the peak RSS. */
function resultAndRss(jobs: number): { stdout: string; rssMB: number } {
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%M", BIN, "triage", DIR, "--json", "--exit-zero", "--jobs", String(jobs)], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`triage --jobs ${jobs} failed: ${p.stderr.toString()}`);
  const kb = Number(p.stderr.toString().trim().split("\n").at(-1));
  return { stdout: p.stdout.toString(), rssMB: kb / 1024 };
}

const jobList = args.jobs!.split(",").map(Number);
say(`capture: ${DIR} — ${capture.lines.toLocaleString("en")} lines, ${(capture.jsonlBytes / 2 ** 30).toFixed(2)} GiB JSONL in ${capture.files.length} files`);
say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);

const results = jobList.map((jobs) => {
  const t = timeJobs(jobs);
  const r = resultAndRss(jobs);
  return { ...t, ...r };
});
const lines = JSON.parse(results[0]!.stdout).total_lines as number;
if (lines !== capture.lines) throw new Error(`triage counted ${lines} lines, the capture has ${capture.lines}`);
for (const r of results.slice(1)) if (r.stdout !== results[0]!.stdout) throw new Error(`--jobs ${r.jobs} gave a different result than --jobs ${results[0]!.jobs}`);

say("");
say("| --jobs | median wall | lines/s (median) | best run | CPU (user+sys) | cores used | peak RSS | speed-up | runs with both cores free |");
say("|---|---|---|---|---|---|---|---|---|");
const base = results[0]!;
for (const r of results) {
  const cpu = r.user + r.system;
  const ok = r.cores.filter((c) => !c.endsWith("t")).length;
  say(
    `| ${r.jobs} | ${r.median.toFixed(2)} s | ${Math.round(lines / r.median).toLocaleString("en")} | ${Math.round(lines / r.min).toLocaleString("en")} | ${cpu.toFixed(2)} s | ` +
      `${(cpu / r.mean).toFixed(2)} | ${Math.round(r.rssMB)} MB | ${(base.median / r.median).toFixed(2)}× | ${ok}/${r.cores.length} |`,
  );
}
say("");
say(`results identical across --jobs ${jobList.join(", ")}; hyperfine JSON in ${OUT}; load average at end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
