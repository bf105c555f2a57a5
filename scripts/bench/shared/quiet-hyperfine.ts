/**
 * hyperfine over shell commands on a shared machine: each timed run is preceded by scripts/bench/read/wait-quiet.ts
 * (waits up to `quietWaitMs` for both cores to be free and logs what it found), and the results come back in seconds
 * with those per-run core readings, so a table can say how many runs started undisturbed.
 */

import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface Timed {
  command: string;
  mean: number;
  stddev: number;
  median: number;
  min: number;
  max: number;
  user: number;
  system: number;
  runs: number;
  /** Cores the wait-quiet probe measured just before each timed run ("…t": it gave up waiting). */
  cores: string[];
}

export interface QuietHyperfineOptions {
  /** Directory for hyperfine's JSON and the probe logs. */
  out: string;
  runs: number;
  warmup: number;
  /** 0 = no probe. */
  quietWaitMs: number;
}

const QUIET = join(import.meta.dir, "../read/wait-quiet.ts");

export function quietHyperfine(name: string, cmds: string[], o: QuietHyperfineOptions): Timed[] {
  const file = join(o.out, `${name}.json`);
  const logs = cmds.map((_, i) => join(o.out, `quiet-${name}-${i}.log`));
  for (const log of logs) rmSync(log, { force: true });
  const prepares = o.quietWaitMs > 0 ? logs.flatMap((log) => ["--prepare", `${process.execPath} ${QUIET} ${log} ${o.quietWaitMs}`]) : [];
  const argv = ["hyperfine", "--style", "none", "--warmup", String(o.warmup), "--runs", String(o.runs), "--export-json", file, ...prepares, ...cmds];
  const p = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`hyperfine ${name} failed:\n${p.stderr.toString()}${p.stdout.toString()}`);
  type Result = Omit<Timed, "runs" | "cores"> & { times: number[] };
  const json = JSON.parse(readFileSync(file, "utf8")) as { results: Result[] };
  return json.results.map((r, i) => ({
    command: r.command, mean: r.mean, stddev: r.stddev ?? 0, median: r.median, min: r.min, max: r.max, user: r.user, system: r.system,
    runs: r.times.length,
    cores: existsSync(logs[i]!) ? readFileSync(logs[i]!, "utf8").trim().split("\n").slice(-r.times.length) : [],
  }));
}

/** "k/n timed runs started with ≥ 1.8 cores free". */
export function quietNote(ts: Timed[]): string {
  const all = ts.flatMap((t) => t.cores);
  if (all.length === 0) return "no quiet probe";
  const ok = all.filter((c) => !c.endsWith("t")).length;
  return `${ok}/${all.length} timed runs started with ≥ 1.8 cores free`;
}

/** Runs the probe once, outside hyperfine (before a `/usr/bin/time` run); returns what it measured ("" without one). */
export function waitForQuiet(out: string, quietWaitMs: number): string {
  if (quietWaitMs <= 0) return "";
  const log = join(out, "quiet-single.log");
  rmSync(log, { force: true });
  Bun.spawnSync([process.execPath, QUIET, log, String(quietWaitMs)], { stdout: "ignore", stderr: "ignore" });
  return existsSync(log) ? (readFileSync(log, "utf8").trim().split("\n").at(-1) ?? "") : "";
}
