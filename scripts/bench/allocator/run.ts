/**
 * What the allocator setting of whole-capture commands (src/cli/allocator-tuning.ts) is worth: each command timed
 * as it runs (re-executed with MIMALLOC_PURGE_DELAY=-1) and with mimalloc's default set by hand
 * (MIMALLOC_PURGE_DELAY=10, which the binary keeps), side by side in one hyperfine run per command.
 *
 *   node_modules/.bin/bun scripts/build.ts
 *   node_modules/.bin/bun scripts/bench/allocator/run.ts [--dir /tmp/logtap-bench-capture-0.5g-err30] [--runs 3]
 *
 * The capture is the triage matrix's 30 % error-line capture (scripts/bench/read/make-capture.ts --gib 0.5
 * --error-share 0.3), built when missing. Prints a Markdown table: median wall, CPU, and the ratio.
 */

import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { copyBinary } from "../shared/bench-binary.ts";
import { quietHyperfine, quietNote } from "../shared/quiet-hyperfine.ts";
import { captureDir, ensureCapture, ROOT } from "../read/make-capture.ts";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string" },
    runs: { type: "string", default: "3" },
    binary: { type: "string", default: "dist/logtap" },
    "quiet-wait-ms": { type: "string", default: "20000" },
  },
});

const OUT = "/tmp/logtap-bench-allocator";
mkdirSync(OUT, { recursive: true });
const BIN = copyBinary(ROOT, args.binary!, OUT);
const dir = args.dir ?? (await ensureCapture({ dir: captureDir(0.5, "mixed", 0.3), gib: 0.5, errorShare: 0.3, binary: BIN })).dir;
const out = join(OUT, "export.csv");
const commands: [string, string][] = [
  ["triage --jobs 1", `${BIN} triage ${dir} --jobs 1 --json --exit-zero > /dev/null`],
  ["triage --jobs 2", `${BIN} triage ${dir} --jobs 2 --json --exit-zero > /dev/null`],
  ["report", `${BIN} report ${dir} --json > /dev/null`],
  ["patterns", `${BIN} patterns ${dir} --json > /dev/null`],
  ["export --format csv", `${BIN} export ${dir} --format csv --out ${out} > /dev/null`],
];
console.log(`capture ${dir}; binary ${BIN}; ${args.runs} runs each\n`);
console.log("| command | as shipped (purge delay −1) | mimalloc default (10 ms) | ratio | CPU shipped / default | runs started quiet |");
console.log("|---|---:|---:|---:|---:|---|");
for (const [name, cmd] of commands) {
  const t = quietHyperfine(name.replaceAll(/\W+/g, "-"), [cmd, `MIMALLOC_PURGE_DELAY=10 ${cmd}`], {
    out: OUT, runs: Number(args.runs), warmup: 0, quietWaitMs: Number(args["quiet-wait-ms"]),
  });
  const [a, b] = t as [(typeof t)[0], (typeof t)[0]];
  const s = (x: number) => `${x.toFixed(2)} s`;
  console.log(`| ${name} | ${s(a.median)} | ${s(b.median)} | ${(a.median / b.median).toFixed(2)} | ${s(a.user + a.system)} / ${s(b.user + b.system)} | ${quietNote(t)} |`);
  rmSync(out, { force: true });
}
