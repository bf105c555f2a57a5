/**
 * The triage/report matrix (issue 14): `logtap triage` and `logtap report` on receiver-built captures with 1 % and
 * 30 % error lines, each with `--jobs 1`, `--jobs 2` and the default (the number of CPUs), so that a high error rate
 * cannot fall off a cliff unseen: more error lines mean more messages parsed, normalised, kept as signatures and
 * mined into templates, and more of that crossing threads.
 *
 * Run: node_modules/.bin/bun scripts/bench/triage/matrix.ts [--gib 0.5] [--shares 0.01,0.3] [--jobs 1,2,default]
 *        [--binary dist/logtap] [--runs 3] [--warmup 1] [--quiet-wait-ms 1500] [--out /tmp/logtap-bench-triage-matrix]
 *
 * Captures: make-capture.ts with `--error-share` (exactly that share of each push's lines are error lines by
 * triage's rule), cached under captureDir(). Before timing, each command runs once per job count under
 * /usr/bin/time (peak RSS): the JSON must be byte-identical across job counts, and its line and error-line counts
 * must equal the capture's. Then one quietHyperfine run per command and share times all job counts side by side.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { copyBinary } from "../shared/bench-binary.ts";
import { quietHyperfine, quietNote, type Timed } from "../shared/quiet-hyperfine.ts";
import { captureDir, ensureCapture, ROOT, type CaptureMarker } from "../read/make-capture.ts";

const { values: args } = parseArgs({
  options: {
    gib: { type: "string", default: "0.5" },
    shares: { type: "string", default: "0.01,0.3" },
    jobs: { type: "string", default: "1,2,default" },
    binary: { type: "string", default: "dist/logtap" },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    "quiet-wait-ms": { type: "string", default: "1500" },
    out: { type: "string", default: "/tmp/logtap-bench-triage-matrix" },
  },
});
const OUT = resolve(args.out!);
mkdirSync(OUT, { recursive: true });
const BIN = copyBinary(ROOT, args.binary!, OUT);
const say = (s = "") => process.stdout.write(s + "\n");
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

/** The job counts as flags: "default" passes none. */
const JOBS = args.jobs!.split(",").map((j) => (j === "default" ? { label: `default (${availableParallelism()})`, flag: "" } : { label: j, flag: ` --jobs ${j}` }));
if (JOBS[0]?.flag !== " --jobs 1") throw new Error("--jobs must start with 1: every row is a ratio to --jobs 1");

interface Counts {
  total_lines: number;
  error_lines: number;
}
/** Each command's flags, and where its JSON holds the line counts. */
const COMMANDS = {
  triage: { args: "--json --exit-zero", counts: (j: Counts) => j },
  report: { args: "--json", counts: (j: { triage: Counts }) => j.triage },
} as const;
type Command = keyof typeof COMMANDS;

const argv = (cmd: Command, dir: string, flag: string) => `${BIN} ${cmd} ${dir} ${COMMANDS[cmd].args}${flag}`;

/** One untimed run per job count: the JSON (compared) and the peak RSS in MB. */
function checkedRun(cmd: Command, c: CaptureMarker, flag: string): { json: string; rssMB: number } {
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%M", "sh", "-c", argv(cmd, c.dir, flag)], { stdout: "pipe", stderr: "pipe" });
  const err = p.stderr.toString();
  if (p.exitCode !== 0) throw new Error(`${argv(cmd, c.dir, flag)}: exit ${p.exitCode}\n${err}`);
  const json = p.stdout.toString();
  const { total_lines: lines, error_lines: errors } = COMMANDS[cmd].counts(JSON.parse(json));
  if (lines !== c.lines || errors !== c.errorLines) throw new Error(`${cmd}${flag}: ${lines} lines / ${errors} error lines, the capture has ${c.lines} / ${c.errorLines}`);
  return { json, rssMB: Number(err.trim().split("\n").at(-1)) / 1024 };
}

interface Row {
  command: Command;
  share: number;
  jobs: string;
  t: Timed;
  lines: number;
  rssMB: number;
  /** --jobs 1's median / this one's, same run. */
  speedup: number;
  quiet: string;
}
const rows: Row[] = [];

say(`load average at start: ${load()}; ${availableParallelism()} CPUs`);
const captures: CaptureMarker[] = [];
for (const share of args.shares!.split(",").map(Number)) {
  const gib = Number(args.gib);
  const c = await ensureCapture({ dir: captureDir(gib, "mixed", share), gib, errorShare: share, binary: BIN });
  if (c.errorLines === undefined) throw new Error(`${c.dir}: marker without an error-line count`);
  say(`capture ${c.dir}: ${c.lines.toLocaleString("en")} lines, ${(c.jsonlBytes / 2 ** 30).toFixed(2)} GiB JSONL, ${c.errorLines.toLocaleString("en")} error lines (${((c.errorLines / c.lines) * 100).toFixed(2)} %)`);
  captures.push(c);
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
for (const cmd of Object.keys(COMMANDS) as Command[]) {
  for (const c of captures) {
    const checks = JOBS.map((j) => checkedRun(cmd, c, j.flag));
    for (const [i, r] of checks.entries())
      if (r.json !== checks[0]!.json) throw new Error(`${cmd} on ${c.dir}: --jobs ${JOBS[i]!.label} printed other JSON than --jobs 1`);
    const timed = quietHyperfine(`${cmd}-err${c.errorShare}`, JOBS.map((j) => `${argv(cmd, c.dir, j.flag)} > /dev/null`), {
      out: OUT, runs: Number(args.runs), warmup: Number(args.warmup), quietWaitMs: Number(args["quiet-wait-ms"]),
    });
    const quiet = quietNote(timed);
    for (const [i, t] of timed.entries()) {
      const r: Row = { command: cmd, share: c.errorShare!, jobs: JOBS[i]!.label, t, lines: c.lines, rssMB: checks[i]!.rssMB, speedup: timed[0]!.median / t.median, quiet };
      rows.push(r);
      say(`  ${cmd} ${(r.share * 100).toFixed(0).padStart(2)} % errors --jobs ${r.jobs.padEnd(12)} ${ms(t.median).padStart(8)}  ${r.speedup.toFixed(2)}× --jobs 1  [${quiet}]`);
    }
  }
}

say(`\nload average at end: ${load()}\n`);
say("JSON byte-identical across --jobs for every command and share; line and error-line counts equal the captures'.\n");
say("| command | error lines | --jobs | median wall | lines/s | ratio to --jobs 1 | CPU (user+sys) | peak RSS | time per line vs lowest share | runs started quiet |");
say("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const low = rows.find((x) => x.command === r.command && x.jobs === r.jobs)!;
  const perLine = r.t.median / r.lines / (low.t.median / low.lines);
  say(
    `| ${r.command} | ${(r.share * 100).toFixed(0)} % | ${r.jobs} | ${ms(r.t.median)} | ${Math.round(r.lines / r.t.median).toLocaleString("en")} | ${r.speedup.toFixed(2)}× | ` +
      `${ms(r.t.user + r.t.system)} | ${Math.round(r.rssMB)} MB | ${perLine.toFixed(2)}× | ${r.quiet} |`,
  );
}
writeFileSync(join(OUT, "matrix.json"), JSON.stringify({ load: load(), captures: captures.map((c) => c.dir), rows }, null, 2) + "\n");
