/**
 * Log-pattern benchmark (issue 15): grouping accuracy on Loghub-2k through the real receiver and
 * `export --with-pattern`, side by side with Drain's published figures, and the miner's speed on one core.
 *
 * Run: node_modules/.bin/bun scripts/bench/patterns/run.ts [--data ../shared/data/loghub-2k] [--binary dist/logtap]
 *        [--out /tmp/logtap-bench-patterns] [--capture /tmp/logtap-bench-capture-1g] [--speed-lines 1000000]
 *
 * Accuracy: for each of the 16 systems, `logtap recv` is started on a fresh directory, the 2,000 message contents
 * are pushed as one Loki JSON stream with increasing timestamps, the receiver is stopped (SIGTERM), and
 * `logtap export --with-pattern --format jsonl` reads the capture back; line i of the export is line i of the
 * dataset (checked: same message), its `pattern_id` the predicted group. Grouping accuracy as in Zhu et al.
 * (ICSE-SEIP 2019) and logpai's evaluator: a line counts when the set of lines of its predicted group is exactly
 * the set of its ground-truth event's. One configuration (the product's) for every system. The data is read
 * where it lies (`--data`; its licence notice, LICENSE-loghub.txt, travels with it) and never copied here.
 *
 * Speed: the miner alone (PatternMiner.add, masks + tree + templates), in this process on one thread, over
 * realistic lines: the messages of the read benchmark's capture (scripts/bench/read/make-capture.ts, the first
 * `--speed-lines`) when it exists, and the Loghub lines repeated in order; each beside the time of splitting the
 * same lines at whitespace in the same run (a floor that moves with the machine, as absolute rates do).
 */

import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { copyBinary } from "../shared/bench-binary.ts";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PatternMiner } from "../../../src/analysis/patterns/miner.ts";
import { CaptureReader } from "../../../src/capture/reader/capture-reader.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: resolve(ROOT, "../shared/data/loghub-2k") },
    binary: { type: "string", default: "dist/logtap" },
    out: { type: "string", default: "/tmp/logtap-bench-patterns" },
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    "speed-lines": { type: "string", default: "1000000" },
    "skip-speed": { type: "boolean" },
  },
});

/** Drain's grouping accuracy with its per-dataset regexes and thresholds (logpai/logparser, Drain README). */
const DRAIN: Record<string, number> = {
  HDFS: 0.9975, Hadoop: 0.9475, Spark: 0.92, Zookeeper: 0.9665, BGL: 0.9625, HPC: 0.887, Thunderbird: 0.955, Windows: 0.997,
  Linux: 0.69, Android: 0.911, HealthApp: 0.78, Apache: 1.0, Proxifier: 0.5265, OpenSSH: 0.7875, OpenStack: 0.7325, Mac: 0.7865,
};
const SYSTEMS = Object.keys(DRAIN);

const OUT = resolve(args.out!);
const DATA = resolve(args.data!);
mkdirSync(OUT, { recursive: true });
const BIN = copyBinary(ROOT, args.binary!, OUT);
const say = (s = "") => process.stdout.write(s + "\n");

interface Row {
  content: string;
  event: string;
}

function load(system: string): Row[] {
  return readFileSync(join(DATA, `${system}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Row);
}

/** Grouping accuracy: the share of lines whose predicted group holds exactly the lines of their true event. */
export function groupAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  const perEvent = new Map<string, number>();
  for (const t of truth) perEvent.set(t, (perEvent.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g === undefined) groups.set(p, [i]);
    else g.push(i);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const event = truth[lines[0]!]!;
    if (lines.every((i) => truth[i] === event) && perEvent.get(event) === lines.length) correct += lines.length;
  }
  return correct / truth.length;
}

async function startReceiver(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = Bun.spawn([BIN, "recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, "--stats-interval", "0"], { stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  const done = (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; ; i++) {
    const m = /listening on (\S+),/.exec(stderr);
    if (m) {
      return {
        url: `http://${m[1]}`,
        stop: async () => {
          proc.kill("SIGTERM");
          const code = await proc.exited;
          await done;
          if (code !== 0) throw new Error(`receiver exited ${code}: ${stderr}`);
        },
      };
    }
    if (proc.exitCode !== null || i > 400) throw new Error(`receiver did not start: ${stderr}`);
    await Bun.sleep(25);
  }
}

/** One system through the receiver and back out of `export --with-pattern`: the predicted group of every line. */
async function throughLogtap(system: string, rows: Row[]): Promise<{ predicted: string[]; patterns: number }> {
  const dir = join(OUT, `capture-${system}`);
  rmSync(dir, { recursive: true, force: true });
  const recv = await startReceiver(dir);
  const t0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z, one millisecond per line
  const values = rows.map((r, i) => [String(t0 + BigInt(i) * 1_000_000n), r.content]);
  const res = await fetch(`${recv.url}/loki/api/v1/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ streams: [{ stream: { app: system.toLowerCase() }, values }] }),
  });
  if (res.status !== 204) throw new Error(`${system}: push answered ${res.status}: ${await res.text()}`);
  await recv.stop();
  const file = join(OUT, `${system}.patterns.jsonl`);
  rmSync(file, { force: true });
  const ex = Bun.spawnSync([BIN, "export", dir, "--with-pattern", "--format", "jsonl", "--out", file], { stderr: "pipe" });
  if (ex.exitCode !== 0) throw new Error(`${system}: export failed: ${ex.stderr.toString()}`);
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { msg: string; pattern_id: string | null });
  if (lines.length !== rows.length) throw new Error(`${system}: exported ${lines.length} lines, pushed ${rows.length}`);
  const predicted = lines.map((l, i) => {
    if (l.msg !== rows[i]!.content) throw new Error(`${system}: line ${i} came back as ${JSON.stringify(l.msg)}`);
    return l.pattern_id ?? `ungrouped-${i}`;
  });
  return { predicted, patterns: new Set(predicted).size };
}

/**
 * The floor the miner's time is given against, measured in the same run (absolute rates move by a third between
 * hours on these VMs): the lines split at whitespace into tokens, what the simplest Drain does before its tree.
 */
function splitFloor(lines: string[], repeat: number): number {
  let tokens = 0;
  const t0 = performance.now();
  for (let r = 0; r < repeat; r++) for (let i = 0; i < lines.length; i++) tokens += lines[i]!.split(WHITESPACE).length;
  const wall = (performance.now() - t0) / 1000;
  if (tokens === 0) throw new Error("no tokens");
  return wall;
}
const WHITESPACE = /\s+/;

function minerSpeed(name: string, lines: string[], repeat: number): void {
  // One warm-up pass, then the timed pass on a fresh miner (the JIT has seen the code, the miner starts empty).
  const warm = new PatternMiner();
  for (const l of lines.slice(0, 50_000)) warm.add(l, 0, 0, "svc");
  splitFloor(lines.slice(0, 50_000), 1);
  const floorBefore = splitFloor(lines, repeat);
  const miner = new PatternMiner();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < repeat; r++) for (let i = 0; i < lines.length; i++, n++) miner.add(lines[i]!, 1_767_225_600 + (n >> 10), 0, "svc");
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const floor = (floorBefore + splitFloor(lines, repeat)) / 2;
  const bytes = lines.reduce((a, l) => a + l.length, 0) * repeat;
  say(
    `| ${name} | ${n.toLocaleString("en")} | ${Math.round(bytes / n)} | ${wall.toFixed(2)} s | **${Math.round(n / wall).toLocaleString("en")}** | ` +
      `${(bytes / wall / 2 ** 20).toFixed(0)} MiB/s | ${((cpu.user + cpu.system) / 1e6 / wall).toFixed(2)} | ${miner.templates.length} | ` +
      `${floor.toFixed(2)} s | ${(wall / floor).toFixed(2)}× |`,
  );
}

async function captureLines(dir: string, max: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of new CaptureReader(dir).batches()) {
    for (const e of batch.entries) {
      out.push(e.msg);
      if (out.length >= max) return out;
    }
  }
  return out;
}

say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
say(`data: ${DATA} (Loghub-2k; licence notice: ${join(DATA, "LICENSE-loghub.txt")})`);
say("");
say("| system | logtap | Drain (tuned per system) | difference | logtap patterns | true events |");
say("|---|---:|---:|---:|---:|---:|");
let ours = 0;
let theirs = 0;
const allLines: string[] = [];
for (const system of SYSTEMS) {
  const rows = load(system);
  for (const r of rows) allLines.push(r.content);
  const { predicted, patterns } = await throughLogtap(system, rows);
  const ga = groupAccuracy(rows.map((r) => r.event), predicted);
  ours += ga;
  theirs += DRAIN[system]!;
  const diff = ga - DRAIN[system]!;
  say(`| ${system} | ${ga.toFixed(4)} | ${DRAIN[system]!.toFixed(4)} | ${diff >= 0 ? "+" : "−"}${Math.abs(diff).toFixed(4)} | ${patterns} | ${new Set(rows.map((r) => r.event)).size} |`);
}
const diff = (ours - theirs) / SYSTEMS.length;
say(`| **average** | **${(ours / SYSTEMS.length).toFixed(4)}** | **${(theirs / SYSTEMS.length).toFixed(4)}** | ${diff >= 0 ? "+" : "−"}${Math.abs(diff).toFixed(4)} | | |`);

if (!args["skip-speed"]) {
  say("");
  say("| lines | mined | bytes/line | wall | lines/s | text | cores used | templates | whitespace split (floor) | miner / floor |");
  say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const max = Number(args["speed-lines"]);
  if (existsSync(join(args.capture!, ".bench-capture.json"))) minerSpeed(`read benchmark capture (${args.capture})`, await captureLines(args.capture!, max), 1);
  else say(`| read benchmark capture: not found at ${args.capture} (scripts/bench/read/make-capture.ts builds it) | | | | | | | | | |`);
  minerSpeed("Loghub-2k, all 16 systems in order, repeated", allLines, Math.max(1, Math.round(max / allLines.length)));
}
say("");
say(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
