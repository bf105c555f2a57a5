/**
 * The miner of two source trees side by side: `PatternMiner.add` over the read benchmark capture's messages, each
 * tree's miner in a process of its own, **alternating** (A B, B A, …) so that a machine whose speed drifts slows
 * both alike; the per-pair ratios are the result. Absolute rates on these VMs move by a third within an hour.
 *
 * Run: node_modules/.bin/bun scripts/bench/patterns/miner-ab.ts --before <tree> [--after .] [--pairs 6]
 *        [--capture /tmp/logtap-bench-capture-1g] [--lines 1000000]
 * `--before`: a checkout of the commit to compare with (`git worktree add /tmp/old <commit>`, node_modules linked).
 * Each process reads the lines, warms up on 50,000 with one miner, then times three passes on fresh miners and
 * reports the best.
 */

import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "." },
    pairs: { type: "string", default: "6" },
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    lines: { type: "string", default: "1000000" },
    child: { type: "string" },
  },
});

if (args.child !== undefined) {
  const { PatternMiner } = await import(resolve(args.child, "src/analysis/patterns/miner.ts"));
  const { CaptureReader } = await import(resolve(args.child, "src/capture/reader/capture-reader.ts"));
  const max = Number(args.lines);
  const lines: string[] = [];
  outer: for await (const batch of new CaptureReader(args.capture!).batches()) {
    for (const e of batch.entries) {
      lines.push(e.msg);
      if (lines.length >= max) break outer;
    }
  }
  const warm = new PatternMiner();
  for (const l of lines.slice(0, 50_000)) warm.add(l, 0, 0, "svc");
  let best = 0;
  for (let pass = 0; pass < 3; pass++) {
    const miner = new PatternMiner();
    const t0 = performance.now();
    for (let i = 0; i < lines.length; i++) miner.add(lines[i]!, 1_767_225_600 + (i >> 10), 0, "svc");
    best = Math.max(best, lines.length / ((performance.now() - t0) / 1000));
  }
  process.stdout.write(`${Math.round(best)}\n`);
  process.exit(0);
}

if (args.before === undefined) {
  process.stderr.write("miner-ab: --before <tree> is required\n");
  process.exit(2);
}
const trees = { before: resolve(args.before), after: resolve(args.after!) };

function rate(tree: string): number {
  const p = Bun.spawnSync([process.execPath, import.meta.path, "--child", tree, "--capture", args.capture!, "--lines", args.lines!], { stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`miner in ${tree} failed: ${p.stderr.toString()}`);
  return Number(p.stdout.toString().trim());
}

const say = (s: string) => process.stdout.write(s + "\n");
say(`before: ${trees.before}\nafter: ${trees.after}\n`);
say("| pair | before (lines/s) | after (lines/s) | after / before |");
say("|---:|---:|---:|---:|");
const ratios: number[] = [];
let beforeSum = 0;
let afterSum = 0;
for (let i = 0; i < Number(args.pairs); i++) {
  // The order flips every pair, so neither side always runs first.
  let b: number;
  let a: number;
  if (i % 2 === 0) {
    b = rate(trees.before);
    a = rate(trees.after);
  } else {
    a = rate(trees.after);
    b = rate(trees.before);
  }
  ratios.push(a / b);
  beforeSum += b;
  afterSum += a;
  say(`| ${i + 1} | ${b.toLocaleString("en")} | ${a.toLocaleString("en")} | ${(a / b).toFixed(2)}× |`);
}
const sorted = [...ratios].sort((x, y) => x - y);
const mid = sorted.length >> 1;
const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
say(`\nratios ${sorted[0]!.toFixed(2)}–${sorted[sorted.length - 1]!.toFixed(2)}×, median ${median.toFixed(2)}×; means ${Math.round(beforeSum / ratios.length).toLocaleString("en")} → ${Math.round(afterSum / ratios.length).toLocaleString("en")} lines/s`);
