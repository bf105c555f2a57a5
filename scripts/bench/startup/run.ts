/**
 * Start-up benchmark: logtap's shortest commands against a hello-world compiled in the same run by the same Bun with
 * the same flags (scripts/compile-flags.ts), so the ratio is what logtap adds to Bun's own floor. Three more
 * hello-worlds take the extra apart: one padded with an unused embedded file to logtap's size (the cost of size
 * alone), one that writes through process.stdout instead of console.log (Node's stream stack), and one that imports
 * node:fs and node:util (what citty's flag parsing and any file reading load).
 *
 * Run: node_modules/.bin/bun scripts/bench/startup/run.ts [--binary PATH] [--baseline PATH] [--runs 5]
 *        [--rounds 30] [--warmup 2] [--quiet-wait-ms 5000] [--out /tmp/logtap-bench-startup]
 *
 * Without --binary, logtap is built from the working tree into --out (teammates rebuild dist/logtap meanwhile).
 * --baseline adds the same commands run by another build (say, an older commit) to every round, for before/after
 * ratios measured side by side. Each round is one short hyperfine run (-N, no shell) over every command, so many
 * rounds interleave the commands; a command's ratio is its median over the hello-world's median in that round, and
 * the table gives the median ratio over the rounds and their range, so load that comes and goes on a shared machine
 * shows as spread, not as a bias. Before
 * each round scripts/bench/read/wait-quiet.ts waits (up to --quiet-wait-ms) for both cores to be free, and probes
 * once more after it; the figures come from the rounds quiet at both ends when there are at least three.
 * Page faults and peak RSS barely depend on load: they show how much of the runtime a command wakes up.
 */

import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { COMPILE_FLAGS } from "../../compile-flags.ts";
import { waitForQuiet } from "../shared/quiet-hyperfine.ts";
import { runStep } from "../shared/run-step.ts";

const { values: args } = parseArgs({
  options: {
    binary: { type: "string" },
    baseline: { type: "string" },
    runs: { type: "string", default: "5" },
    rounds: { type: "string", default: "30" },
    warmup: { type: "string", default: "2" },
    out: { type: "string", default: "/tmp/logtap-bench-startup" },
    "quiet-wait-ms": { type: "string", default: "5000" },
  },
});
const ROOT = resolve(import.meta.dir, "../../..");
const OUT = resolve(args.out!);
const BUN = process.execPath;
const say = (s = "") => process.stdout.write(s + "\n");
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

function compile(name: string, source: string): string {
  writeFileSync(join(OUT, `${name}.ts`), source);
  const exe = join(OUT, name);
  runStep([BUN, "build", join(OUT, `${name}.ts`), ...COMPILE_FLAGS, "--outfile", exe], `compiling ${name}`);
  return exe;
}

function copyBinary(from: string, name: string): string {
  const to = join(OUT, name);
  copyFileSync(resolve(ROOT, from), to);
  chmodSync(to, 0o755);
  return to;
}

const logtap = args.binary ? copyBinary(args.binary, "logtap") : join(OUT, "logtap");
if (!args.binary) runStep([BUN, "scripts/build.ts", "--outfile", logtap], "building logtap");
const baseline = args.baseline ? copyBinary(args.baseline, "logtap-baseline") : undefined;
const hello = compile("hello", `console.log("hello, world");\n`);
// The padding is embedded but never read: what it costs is the size alone.
const padBytes = Math.max(0, statSync(logtap).size - statSync(hello).size);
writeFileSync(join(OUT, "padding.bin"), new Uint8Array(padBytes));
const padded = compile(
  "hello-padded",
  `import padding from "./padding.bin" with { type: "file" };\nif (process.argv.length > 99) console.log(padding);\nconsole.log("hello, world");\n`,
);
const helloStdout = compile("hello-stdout", `process.stdout.write("hello, world\\n");\n`);
const helloNode = compile(
  "hello-node",
  `import { readFileSync } from "node:fs";\nimport { parseArgs } from "node:util";\nif (process.argv.length > 99) console.log(readFileSync, parseArgs);\nconsole.log("hello, world");\n`,
);

/** A small capture written by the receiver itself: 1,000 lines in 4 streams. */
async function makeCapture(dir: string): Promise<void> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  const recv = Bun.spawn([logtap, "recv", "--headless", "--listen", `127.0.0.1:${port}`, "--dir", dir, "--stats-interval", "0"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  let stderr = "";
  const drained = (async () => {
    for await (const chunk of recv.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; !stderr.includes("listening on"); i++) {
    if (recv.exitCode !== null || i > 400) throw new Error(`receiver did not start:\n${stderr}`);
    await Bun.sleep(25);
  }
  const t0 = BigInt(Date.parse("2026-01-15T10:00:00Z")) * 1_000_000n;
  const streams = ["checkout", "payments", "search", "cart"].map((app, s) => ({
    stream: { app, namespace: "shop" },
    values: Array.from({ length: 250 }, (_, i) => [
      String(t0 + BigInt(i * 1000 + s) * 1_000_000n),
      `${i % 17 === 0 ? "level=error" : "level=info"} request ${i} handled in ${(i * 7) % 300} ms`,
    ]),
  }));
  const res = await fetch(`http://127.0.0.1:${port}/loki/api/v1/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ streams }),
  });
  if (res.status !== 204) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  recv.kill("SIGTERM");
  const code = await recv.exited;
  await drained;
  if (code !== 0) throw new Error(`receiver exited ${code}:\n${stderr}`);
  const lines = readFileSync(join(dir, "index.jsonl"), "utf8").trim().split("\n").reduce((n, l) => n + (JSON.parse(l).lines as number), 0);
  if (lines !== 1000) throw new Error(`capture holds ${lines} lines, 1000 were pushed`);
}

const capture = join(OUT, "capture");
await makeCapture(capture);

interface Case {
  label: string;
  argv: string[];
}
const logtapCases = (bin: string, tag: string): Case[] => [
  { label: `${tag} --version`, argv: [bin, "--version"] },
  { label: `${tag} version`, argv: [bin, "version"] },
  { label: `${tag} --help`, argv: [bin, "--help"] },
  { label: `${tag} inspect`, argv: [bin, "inspect", capture] },
];
const cases: Case[] = [
  { label: "hello-world", argv: [hello] },
  { label: `hello-world padded to logtap's size`, argv: [padded] },
  { label: "hello-world through process.stdout", argv: [helloStdout] },
  { label: "hello-world importing node:fs and node:util", argv: [helloNode] },
  ...logtapCases(logtap, "logtap"),
  ...(baseline ? logtapCases(baseline, "baseline") : []),
];
for (const c of cases) {
  const p = Bun.spawnSync(c.argv, { stdout: "ignore", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${c.label} exited ${p.exitCode}: ${p.stderr.toString()}`);
}

const quote = (a: string) => (/^[\w./=-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
const ROUNDS = Number(args.rounds);
const QUIET_WAIT_MS = Number(args["quiet-wait-ms"]);
interface Round {
  median: number[];
  times: number[][];
  /** Cores the probe found free before and after ("…t": fewer than 1.8). */
  cores: [string, string];
}
const rounds: Round[] = [];
const load0 = loadavg()[0]!;
for (let r = 0; r < ROUNDS; r++) {
  const before = waitForQuiet(OUT, QUIET_WAIT_MS);
  const file = join(OUT, `round-${r}.json`);
  const p = Bun.spawnSync(
    ["hyperfine", "-N", "--style", "none", "--warmup", args.warmup!, "--runs", args.runs!, "--export-json", file, ...cases.map((c) => c.argv.map(quote).join(" "))],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (p.exitCode !== 0) throw new Error(`hyperfine failed:\n${p.stderr.toString()}`);
  // Measured once, no waiting: was the machine still quiet when the round ended?
  const after = waitForQuiet(OUT, QUIET_WAIT_MS > 0 ? 1 : 0);
  const json = JSON.parse(readFileSync(file, "utf8")) as { results: { median: number; times: number[] }[] };
  rounds.push({ median: json.results.map((x) => x.median), times: json.results.map((x) => x.times), cores: [before, after] });
  process.stderr.write(`round ${r + 1}/${ROUNDS} (cores free before/after: ${before || "-"}/${after || "-"}): hello-world median ${(json.results[0]!.median * 1000).toFixed(1)} ms\n`);
}
const load1 = loadavg()[0]!;
const quietRounds = rounds.filter((r) => r.cores.every((c) => c !== "" && !c.endsWith("t")));
// Rounds disturbed by other work are left out of the ratios when enough quiet ones remain.
const used = quietRounds.length >= 3 ? quietRounds : rounds;

/** Minor page faults and peak RSS (median of 5 runs, /usr/bin/time): how much of the runtime a command wakes up. */
function footprint(argv: string[]): { faults: number; rssMib: number } {
  const file = join(OUT, "time.txt");
  const runs = Array.from({ length: 5 }, () => {
    Bun.spawnSync(["/usr/bin/time", "-f", "%R %M", "-o", file, ...argv], { stdout: "ignore", stderr: "ignore" });
    return readFileSync(file, "utf8").trim().split(/\s+/).map(Number) as [number, number];
  });
  return { faults: med(runs.map((r) => r[0])), rssMib: med(runs.map((r) => r[1])) / 1024 };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (s: number) => (s * 1000).toFixed(1);
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

say(`Start-up, ${new Date().toISOString().slice(0, 16)}Z: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Bun ${Bun.version}, flags ${COMPILE_FLAGS.join(" ")}`);
say(`hello-world ${mib(statSync(hello).size)}, padded ${mib(statSync(padded).size)}, logtap ${mib(statSync(logtap).size)}${baseline ? `, baseline ${mib(statSync(baseline).size)}` : ""}`);
say(`${ROUNDS} rounds × ${args.runs} runs (warm-up ${args.warmup}) per command; load average ${load0.toFixed(2)} before, ${load1.toFixed(2)} after`);
say(`cores free before/after each round: ${rounds.map((r) => r.cores.map((c) => c || "-").join("/")).join(", ")} ("t": fewer than 1.8)`);
say(`figures from ${used === quietRounds ? `the ${used.length} rounds quiet at both ends` : `all ${used.length} rounds (fewer than 3 were quiet at both ends)`}`);
say();
say("| command | median ms | mean ± σ ms | × hello-world (median of rounds) | range over rounds | page faults | peak RSS MiB |");
say("|---|---:|---:|---:|---:|---:|---:|");
cases.forEach((c, i) => {
  const all = used.flatMap((r) => r.times[i]!);
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const sd = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / (all.length - 1));
  const ratios = sorted(used.map((r) => r.median[i]! / r.median[0]!));
  const cmd = c.argv.map((a) => (a === capture ? "CAPTURE" : a.startsWith(OUT) ? a.slice(OUT.length + 1) : a)).join(" ");
  const f = footprint(c.argv);
  say(`| ${c.label} (\`${cmd}\`) | ${ms(med(all))} | ${ms(mean)} ± ${ms(sd)} | ${med(ratios).toFixed(2)}× | ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}× | ${f.faults} | ${f.rssMib.toFixed(1)} |`);
});
