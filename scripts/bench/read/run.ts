/**
 * Read-side benchmark of logtap: full-scan and time-narrowed search against rg and zstd|grep, inspect latency, and
 * Parquet export throughput and peak memory, on a ≥ 1 GiB capture written by the real receiver (make-capture.ts,
 * built once and cached).
 *
 * Run: node_modules/.bin/bun scripts/bench/read/run.ts [--capture /tmp/logtap-bench-capture-1g]
 *        [--half /tmp/logtap-bench-capture-0.5g] [--binary dist/logtap] [--build] [--runs 5] [--warmup 1]
 *        [--export-runs 2] [--only search,window,inspect,export] [--out /tmp/logtap-bench-read]
 *
 * Timing: hyperfine (shell commands, so globs and pipes work; hyperfine subtracts the shell's start-up), page
 * cache warm (the warm-up run reads every file). Export: /usr/bin/time (wall, max RSS = ru_maxrss). Hyperfine
 * JSON and a results.json go to --out. Counts are asserted: logtap = rg = zstd|grep = the generator's count, and the
 * windowed count = an independent zstd|grep|ts-filter count.
 */

import { cpus, loadavg, release, totalmem } from "node:os";
import { chmodSync, closeSync, copyFileSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parquetMetadataAsync } from "hyparquet";
import { quietHyperfine, quietNote, waitForQuiet, type Timed } from "../shared/quiet-hyperfine.ts";
import { ensureCapture, describeCapture, PATTERN, ROOT, type CaptureMarker } from "./make-capture.ts";

const { values: args } = parseArgs({
  options: {
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    half: { type: "string", default: "/tmp/logtap-bench-capture-0.5g" },
    binary: { type: "string", default: "dist/logtap" },
    build: { type: "boolean", default: false },
    runs: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    "export-runs": { type: "string", default: "2" },
    only: { type: "string" },
    out: { type: "string", default: "/tmp/logtap-bench-read" },
    "quiet-wait-ms": { type: "string", default: "3000" },
  },
});
const only = args.only ? new Set(args.only.split(",")) : null;
const want = (s: string) => only === null || only.has(s);
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);
const EXPORT_RUNS = Number(args["export-runs"]);
const OUT = resolve(args.out!);
mkdirSync(OUT, { recursive: true });
const SRC_BIN = resolve(ROOT, args.binary!);
/** The binary under test is copied first: teammates rebuild dist/logtap while this runs. */
const BIN = join(OUT, "logtap");
const QUIET_WAIT_MS = Number(args["quiet-wait-ms"]);
const BUN = process.execPath;
const say = (s = "") => process.stdout.write(s + "\n");

if (args.build) {
  const b = Bun.spawnSync([BUN, "scripts/build.ts"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  if (b.exitCode !== 0) throw new Error("build failed");
}
if (!existsSync(SRC_BIN)) throw new Error(`${SRC_BIN} not found (run with --build, or node_modules/.bin/bun scripts/build.ts)`);
copyFileSync(SRC_BIN, BIN);
chmodSync(BIN, 0o755);

// ---------------------------------------------------------------------------------------------------------------
// helpers

function sh(cmd: string): string {
  const p = Bun.spawnSync(["sh", "-c", cmd], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0 && p.exitCode !== 1) throw new Error(`${cmd}: exit ${p.exitCode}\n${p.stderr.toString()}`);
  return p.stdout.toString();
}

function firstLine(cmd: string): string {
  try {
    return sh(cmd).split("\n")[0]!.trim();
  } catch {
    return "n/a";
  }
}

/** hyperfine with the wait-quiet probe before each timed run; returns seconds. */
function hyperfine(name: string, cmds: string[], opts: { runs?: number; warmup?: number } = {}): Timed[] {
  return quietHyperfine(name, cmds, { out: OUT, runs: opts.runs ?? RUNS, warmup: opts.warmup ?? WARMUP, quietWaitMs: QUIET_WAIT_MS });
}

const ms = (s: number) => (s >= 10 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s < 0.1 ? 1 : 0)} ms`);
const int = (n: number) => Math.round(n).toLocaleString("en");
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function sumTabCounts(out: string): number {
  return out.trim().split("\n").filter(Boolean).reduce((a, l) => a + Number(l.split("\t").pop()), 0);
}
function sumColonCounts(out: string): number {
  return out.trim().split("\n").filter(Boolean).reduce((a, l) => a + Number(l.slice(l.lastIndexOf(":") + 1)), 0);
}

function check(what: string, got: number, expected: number) {
  if (got !== expected) throw new Error(`count mismatch: ${what} = ${got}, expected ${expected}`);
}

/** RFC3339 with whole seconds. */
function rfc(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

interface Row {
  section: string;
  tool: string;
  time: string;
  extra: string;
  target?: string;
  verdict?: string;
}
const rows: Row[] = [];
const results: Record<string, unknown> = { conditions: {} };

// ---------------------------------------------------------------------------------------------------------------
// setup

const cap = await ensureCapture({ dir: args.capture!, gib: 1, binary: args.binary });
const half = want("export") ? await ensureCapture({ dir: args.half!, gib: 0.5, binary: args.binary }) : null;
const D = cap.dir;
const Q = `'${PATTERN}'`;

const cpuModel = cpus()[0]?.model?.trim() ?? "unknown";
const mhz = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
const machine = {
  cpu: `${cpuModel}${mhz ? ` @ ${Math.round(Number(mhz))} MHz` : ""}`,
  cores: cpus().length,
  ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  kernel: `Linux ${release()}`,
  bun: `${Bun.version} (runner); binary under test: ${firstLine(`${BIN} version`)} (copy of ${SRC_BIN})`,
  rg: firstLine("rg --version"),
  zstd: firstLine("zstd --version"),
  grep: firstLine("grep --version"),
  hyperfine: firstLine("hyperfine --version"),
  locale: process.env.LC_ALL || process.env.LANG || "unset",
  loadStart: load(),
};
results.machine = machine;
results.capture = { ...cap, files: cap.files.length };
say("== machine");
for (const [k, v] of Object.entries(machine)) say(`  ${k.padEnd(10)} ${v}`);
say("== " + describeCapture(cap).split("\n").join("\n   "));
say();

// ---------------------------------------------------------------------------------------------------------------
// 1. full-scan search

const fullCmds = {
  logtap: `${BIN} grep ${Q} ${D} --count`,
  rg: `rg -z -c ${Q} ${D}/*.zst`,
  zgrep: `zstd -dc ${D}/*.zst | grep -cE ${Q}`,
};
let peerFull = { rg: NaN, zgrep: NaN };
if (want("search") || want("window")) {
  say(`== full-scan search for ${Q}`);
  const counts = { logtap: sumTabCounts(sh(fullCmds.logtap)), rg: sumColonCounts(sh(fullCmds.rg)), zgrep: Number(sh(fullCmds.zgrep).trim()) };
  for (const [k, v] of Object.entries(counts)) check(`${k} full-scan count`, v, cap.patternCount);
  say(`  counts agree: logtap ${int(counts.logtap)} = rg ${int(counts.rg)} = zstd|grep ${int(counts.zgrep)} = generated ${int(cap.patternCount)}`);
  const t = hyperfine("full-scan", [fullCmds.logtap, fullCmds.rg, fullCmds.zgrep]);
  const [tl, tr, tz] = t as [Timed, Timed, Timed];
  peerFull = { rg: tr.median, zgrep: tz.median };
  const faster = Math.min(tr.median, tz.median);
  const GiB = cap.jsonlBytes / 2 ** 30;
  for (const [name, x] of [["logtap grep --count", tl], ["rg -z -c", tr], ["zstd -dc | grep -cE", tz]] as const) {
    say(`  ${name.padEnd(22)} median ${ms(x.median)}  mean ${ms(x.mean)} ± ${ms(x.stddev)}  min ${ms(x.min)}  (user ${ms(x.user)}, sys ${ms(x.system)})  ${(GiB / x.median).toFixed(2)} GiB/s of JSONL`);
    rows.push({ section: "Full-scan search", tool: name, time: `${ms(x.median)} (min ${ms(x.min)})`, extra: `${int(counts.logtap)} matches; CPU ${ms(x.user + x.system)}` });
  }
  const ok = tl.median <= faster;
  rows[rows.length - 3]!.target = "≤ faster peer";
  rows[rows.length - 3]!.verdict = `${ok ? "met" : "missed"}: ${(faster / tl.median).toFixed(2)}× the faster peer's speed`;
  results.fullScan = { counts, timings: t };
  (results.conditions as Record<string, string>).fullScan = quietNote(t);
  say(`  ${quietNote(t)}`);
  say();
}

// ---------------------------------------------------------------------------------------------------------------
// 2. time-narrowed search over the middle 10 %

if (want("window")) {
  const start = Date.parse(cap.from);
  const end = Date.parse(cap.to);
  const from = rfc(start + 0.45 * (end - start));
  const to = rfc(start + 0.55 * (end - start));
  say(`== time-narrowed search ${from} .. ${to} (10 % of ${((end - start) / 3.6e6).toFixed(2)} h)`);
  const index = readFileSync(join(D, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { from: string; to: string; frames: { from: string; to: string; lines: number }[] });
  let frames = 0;
  let framesIn = 0;
  for (const e of index)
    for (const f of e.frames) {
      frames++;
      if (Date.parse(f.to) >= Date.parse(from) && Date.parse(f.from) <= Date.parse(to)) framesIn++;
    }
  const cmd = `${BIN} grep ${Q} ${D} --count --from ${from} --to ${to}`;
  const verify = `zstd -dc ${D}/*.zst | grep -F ${Q} | ${BUN} ${join(import.meta.dir, "window-count.ts")} ${from} ${to}`;
  const got = sumTabCounts(sh(cmd));
  const expected = Number(sh(verify).trim());
  check("logtap windowed count vs zstd|grep|ts-filter", got, expected);
  say(`  counts agree: logtap ${int(got)} = zstd|grep -F|ts-filter ${int(expected)}; the index puts ~${framesIn} of ${frames} frames in the window`);
  const t = hyperfine("window", [cmd, verify]);
  const [tl, tv] = t as [Timed, Timed];
  const faster = Math.min(peerFull.rg, peerFull.zgrep);
  say(`  logtap grep --from/--to  median ${ms(tl.median)}  mean ${ms(tl.mean)} ± ${ms(tl.stddev)}  min ${ms(tl.min)}`);
  say(`  zstd|grep -F|ts-filter   median ${ms(tv.median)}  (peers must read everything: rg ${ms(peerFull.rg)}, zstd|grep ${ms(peerFull.zgrep)} full scan)`);
  rows.push({
    section: "Time-narrowed search (10 %)",
    tool: "logtap grep --count --from --to",
    time: `${ms(tl.median)} (min ${ms(tl.min)})`,
    extra: `${int(got)} matches; reads ${framesIn}/${frames} frames`,
    target: "≥ 5× faster than faster peer",
    verdict: `${faster / tl.median >= 5 ? "met" : "missed"}: ${(faster / tl.median).toFixed(1)}× faster than the faster peer's full scan`,
  });
  rows.push({ section: "Time-narrowed search (10 %)", tool: "rg -z -c / zstd -dc | grep (full scan)", time: `${ms(peerFull.rg)} / ${ms(peerFull.zgrep)}`, extra: "cannot skip: count is over all lines" });
  rows.push({ section: "Time-narrowed search (10 %)", tool: "zstd -dc | grep -F | ts filter", time: `${ms(tv.median)} (min ${ms(tv.min)})`, extra: `${int(expected)} matches (the peers' way to get the same answer)` });
  results.window = { from, to, count: got, framesIn, frames, timings: t };
  (results.conditions as Record<string, string>).window = quietNote(t);
  say(`  ${quietNote(t)}`);
  say();
}

// ---------------------------------------------------------------------------------------------------------------
// 3. inspect

if (want("inspect")) {
  say(`== inspect`);
  const t = hyperfine("inspect", [`${BIN} inspect ${D}`, `${BIN} inspect ${D} --json`, `${BIN} version`], { runs: 20, warmup: 3 });
  const labels = ["logtap inspect", "logtap inspect --json", "logtap version (process start-up)"];
  t.forEach((x, i) => {
    say(`  ${labels[i]!.padEnd(34)} median ${ms(x.median)}  mean ${ms(x.mean)} ± ${ms(x.stddev)}  min ${ms(x.min)}`);
    rows.push({
      section: "inspect",
      tool: labels[i]!,
      time: `${ms(x.median)} (min ${ms(x.min)})`,
      extra: `${x.runs} runs`,
      ...(i < 2 ? { target: "≤ 50 ms", verdict: x.median <= 0.05 ? "met" : "missed" } : {}),
    });
  });
  results.inspect = t;
  (results.conditions as Record<string, string>).inspect = quietNote(t);
  say(`  ${quietNote(t)}`);
  say();
}

// ---------------------------------------------------------------------------------------------------------------
// 4. parquet export

async function parquetRows(path: string): Promise<number> {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const file = {
      byteLength: size,
      slice(start: number, end = size) {
        const buf = new Uint8Array(end - start);
        readSync(fd, buf, 0, buf.length, start);
        return buf.buffer;
      },
    };
    const md = await parquetMetadataAsync(file);
    return Number(md.num_rows);
  } finally {
    closeSync(fd);
  }
}

if (want("export")) {
  const exportHelp = Bun.spawnSync([BIN, "export", "--help"], { stdout: "pipe", stderr: "pipe" });
  if (!(exportHelp.stdout.toString() + exportHelp.stderr.toString()).includes("parquet")) {
    say("== export: `logtap export --format parquet` not in this binary yet — pending");
    rows.push({ section: "Parquet export", tool: "logtap export", time: "pending", extra: "command not available", target: "≥ 150k rows/s, ≤ 300 MB", verdict: "pending" });
  } else {
    say(`== parquet export`);
    const out = join(OUT, "export.parquet");
    const exp: unknown[] = [];
    for (const c of [cap, half!] as CaptureMarker[]) {
      const runs: { wall: number; rssMB: number; cpu: number; rows: number; bytes: number; cores: string }[] = [];
      for (let i = 0; i < EXPORT_RUNS; i++) {
        rmSync(out, { force: true });
        const cores = waitForQuiet(OUT, QUIET_WAIT_MS);
        const tf = join(OUT, "time.txt");
        const cmd = `/usr/bin/time -f '%e %M %U %S' -o ${tf} ${BIN} export ${c.dir} --format parquet --out ${out} --json`;
        const summary = JSON.parse(sh(cmd).trim()) as { lines: number; bytes: number };
        const [wall, rssKB, user, sys] = readFileSync(tf, "utf8").trim().split("\n").pop()!.split(" ").map(Number) as [number, number, number, number];
        check(`export rows (${c.dir})`, summary.lines, c.lines);
        check(`parquet num_rows (${c.dir})`, await parquetRows(out), c.lines);
        runs.push({ wall, rssMB: (rssKB * 1024) / 1e6, cpu: user + sys, rows: summary.lines, bytes: summary.bytes, cores });
        say(`  ${c.dir}: ${int(summary.lines)} rows in ${wall.toFixed(2)} s = ${int(summary.lines / wall)} rows/s, peak RSS ${((rssKB * 1024) / 1e6).toFixed(0)} MB, CPU ${(user + sys).toFixed(1)} s, ${(summary.bytes / 1e6).toFixed(1)} MB parquet (cores free at start ${cores})`);
      }
      runs.sort((a, b) => a.wall - b.wall);
      const best = runs[0]!;
      const maxRss = Math.max(...runs.map((r) => r.rssMB));
      const rate = best.rows / best.wall;
      const isMain = c === cap;
      rows.push({
        section: "Parquet export",
        tool: `logtap export (${(c.jsonlBytes / 2 ** 30).toFixed(2)} GiB capture)`,
        time: `${best.wall.toFixed(2)} s${runs.length > 1 ? ` (worst ${runs[runs.length - 1]!.wall.toFixed(2)} s)` : ""}`,
        extra: `${int(best.rows)} rows, ${int(rate)} rows/s, peak RSS ${maxRss.toFixed(0)} MB, ${(best.bytes / 1e6).toFixed(0)} MB out`,
        target: "≥ 150k rows/s, ≤ 300 MB",
        verdict: `rows/s ${rate >= 150_000 ? "met" : "missed"}, RSS ${maxRss <= 300 ? "met" : "missed"}${isMain ? "" : " (RSS vs full size: see above)"}`,
      });
      exp.push({ dir: c.dir, runs });
    }
    rmSync(out, { force: true });
    results.export = exp;
    const cs = (exp as { runs: { cores: string }[] }[]).flatMap((e) => e.runs.map((r) => r.cores));
    (results.conditions as Record<string, string>).export = `${cs.filter((c) => c && !c.endsWith("t")).length}/${cs.length} export runs started with ≥ 1.8 cores free`;
    say();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// table

machine.loadStart += ` → end ${load()}`;
say("== commands");
say(`  ${fullCmds.logtap}\n  ${fullCmds.rg}\n  ${fullCmds.zgrep}`);
if (results.window) {
  const w = results.window as { from: string; to: string };
  say(`  ${BIN} grep ${Q} ${D} --count --from ${w.from} --to ${w.to}`);
}
say(`  ${BIN} inspect ${D} [--json]`);
say(`  /usr/bin/time -f '%e %M %U %S' ${BIN} export DIR --format parquet --out ${join(OUT, "export.parquet")} --json`);
say();
say("== results (medians of hyperfine runs, warm page cache; load average " + machine.loadStart + ")");
say();
say("| Scenario | Tool | Wall time | Details | Target | Verdict |");
say("|---|---|---|---|---|---|");
const md = (s: string) => s.replaceAll("|", "\\|");
for (const r of rows) say(`| ${[r.section, r.tool, r.time, r.extra, r.target ?? "", r.verdict ?? ""].map(md).join(" | ")} |`);
say();
say("Conditions per section (other tenants share this machine): " + Object.entries(results.conditions as object).map(([k, v]) => `${k}: ${v}`).join("; "));
results.rows = rows;
writeFileSync(join(OUT, "results.json"), JSON.stringify(results, null, 2) + "\n");
say();
say(`hyperfine JSON and results.json in ${OUT}`);
