/**
 * What grouping signatures by template costs triage: `triage --json --exit-zero --jobs J` on the read benchmark's
 * capture with a binary built before the patterns work and with the current one, **interleaved in one run** (A B A B …,
 * the order flipped every round) so that a busy shared machine slows both alike; the ratios are the result.
 *
 * Run: node_modules/.bin/bun scripts/bench/patterns/triage-ratio.ts --before <binary> [--after dist/logtap]
 *        [--capture /tmp/logtap-bench-capture-1g] [--rounds 5] [--jobs 1,2] [--quiet-wait-ms 5000]
 *        [--out /tmp/logtap-bench-triage-ratio]
 * `--before`: e.g. a build of commit d1e5259 (`git worktree add /tmp/old d1e5259`, then in it
 * `node_modules/.bin/bun scripts/build.ts --outfile <binary>` with node_modules linked). Each run is preceded by
 * scripts/bench/read/wait-quiet.ts, whose reading is reported; wall time comes from the clock, CPU from
 * `/usr/bin/time`. The JSON of every job count must be identical for the current binary.
 */

import { mkdirSync, readFileSync } from "node:fs";
import { copyBinary } from "../shared/bench-binary.ts";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { waitForQuiet } from "../shared/quiet-hyperfine.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "dist/logtap" },
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    rounds: { type: "string", default: "5" },
    jobs: { type: "string", default: "1,2" },
    "quiet-wait-ms": { type: "string", default: "5000" },
    out: { type: "string", default: "/tmp/logtap-bench-triage-ratio" },
  },
});
if (!args.before) throw new Error("--before <binary> is required");
const OUT = resolve(args.out!);
mkdirSync(OUT, { recursive: true });
const say = (s = "") => process.stdout.write(s + "\n");

// Copies: teammates rebuild dist/logtap while this runs.
const binaries = { before: copyBinary(ROOT, args.before, OUT, "logtap-before"), after: copyBinary(ROOT, args.after!, OUT, "logtap-after") };
const marker = JSON.parse(readFileSync(join(args.capture!, ".bench-capture.json"), "utf8")) as { lines: number };

interface Run {
  wall: number;
  cpu: number;
  rssMB: number;
  stdout: string;
  quiet: string;
}

function run(binary: string, jobs: number): Run {
  const quiet = waitForQuiet(OUT, Number(args["quiet-wait-ms"]));
  const t0 = performance.now();
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%U %S %M", binary, "triage", args.capture!, "--json", "--exit-zero", "--jobs", String(jobs)], { stdout: "pipe", stderr: "pipe" });
  const wall = (performance.now() - t0) / 1000;
  if (p.exitCode !== 0) throw new Error(`${binary} --jobs ${jobs} failed: ${p.stderr.toString()}`);
  const [user, sys, kb] = p.stderr.toString().trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wall, cpu: user! + sys!, rssMB: kb! / 1024, stdout: p.stdout.toString(), quiet };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const jobList = args.jobs!.split(",").map(Number);
const rounds = Number(args.rounds);
const runs = new Map<string, Run[]>();
say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
say(`capture: ${args.capture} (${marker.lines.toLocaleString("en")} lines); ${rounds} rounds of ${jobList.length * 2} runs`);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (["before", "after"] as const) : (["after", "before"] as const);
  for (const jobs of jobList) {
    for (const name of order) {
      const key = `${name} ${jobs}`;
      const got = run(binaries[name], jobs);
      if (!runs.has(key)) runs.set(key, []);
      runs.get(key)!.push(got);
    }
  }
}
const after = jobList.map((j) => runs.get(`after ${j}`)![0]!.stdout);
for (const s of after.slice(1)) if (s !== after[0]) throw new Error("the current binary gave different results for different --jobs");

say("");
say("| binary | --jobs | median wall | lines/s (median wall) | median CPU | cores used | peak RSS | runs started with both cores free |");
say("|---|---:|---:|---:|---:|---:|---:|---:|");
const stat = new Map<string, { wall: number; cpu: number }>();
for (const name of ["before", "after"] as const) {
  for (const jobs of jobList) {
    const rs = runs.get(`${name} ${jobs}`)!;
    const wall = median(rs.map((x) => x.wall));
    const cpu = median(rs.map((x) => x.cpu));
    stat.set(`${name} ${jobs}`, { wall, cpu });
    const free = rs.filter((x) => x.quiet !== "" && !x.quiet.endsWith("t")).length;
    say(`| ${name} | ${jobs} | ${wall.toFixed(2)} s | ${Math.round(marker.lines / wall).toLocaleString("en")} | ${cpu.toFixed(2)} s | ${(cpu / wall).toFixed(2)} | ${Math.round(median(rs.map((x) => x.rssMB)))} MB | ${free}/${rs.length} |`);
  }
}
say("");
for (const jobs of jobList) {
  const b = stat.get(`before ${jobs}`)!;
  const a = stat.get(`after ${jobs}`)!;
  say(`--jobs ${jobs}: after/before wall ${(a.wall / b.wall).toFixed(3)}, CPU ${(a.cpu / b.cpu).toFixed(3)}`);
}
if (jobList.length > 1) {
  for (const name of ["before", "after"] as const) {
    const one = stat.get(`${name} ${jobList[0]}`)!;
    const two = stat.get(`${name} ${jobList[1]}`)!;
    say(`${name}: --jobs ${jobList[1]} speed-up over --jobs ${jobList[0]} ${(one.wall / two.wall).toFixed(2)}× (medians of wall)`);
  }
}
say(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
