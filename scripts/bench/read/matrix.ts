/**
 * The read matrix (issue 14): logtap grep against `rg -z` and `zstd -dc | grep`, side by side in one hyperfine run
 * per row, at selectivities of ~0.01 %, 1 %, 15 % and 50 %, in three output modes (count, JSON lines, text), for a
 * case-insensitive regex, an alternation, a label filter, and 1 / 10 / 50 % time windows; on the 1 GiB receiver-built
 * capture and on two 0.25 GiB ones whose compression is poor (high-entropy ids) and very good (few templates).
 *
 * Every row is a ratio: logtap's median / the faster peer's median from the same run (≤ 1.00 = as fast or faster).
 * Window rows compare with the peers' full scan (they cannot skip by time) and must beat it by half the data
 * reduction (10 % window: ≥ 5×). Output goes through `| wc -l` for every tool (rg stops at the first match when it
 * sees /dev/null). Counts are checked against rg before timing: equal for the plain literals (generated so they occur
 * only in messages); for the regexes the difference, if any, is printed.
 *
 * Run: node_modules/.bin/bun scripts/bench/read/matrix.ts [--binary dist/logtap] [--runs 3] [--warmup 1]
 *        [--only select,regex,label,window,profiles,inspect] [--quiet-wait-ms 1500] [--out /tmp/logtap-bench-matrix]
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { copyBinary } from "../shared/bench-binary.ts";
import { quietHyperfine, quietNote, type Timed } from "../shared/quiet-hyperfine.ts";
import { COMPILE_FLAGS } from "../../compile-flags.ts";
import { captureDir, ensureCapture, PATTERN, ROOT, TOKENS, type CaptureMarker } from "./make-capture.ts";

const { values: args } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/logtap" },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    only: { type: "string" },
    out: { type: "string", default: "/tmp/logtap-bench-matrix" },
    "quiet-wait-ms": { type: "string", default: "1500" },
  },
});
const OUT = resolve(args.out!);
mkdirSync(OUT, { recursive: true });
const BIN = copyBinary(ROOT, args.binary!, OUT);
const only = args.only ? new Set(args.only.split(",")) : null;
const want = (s: string) => only === null || only.has(s);
const say = (s = "") => process.stdout.write(s + "\n");
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function sh(cmd: string): string {
  const p = Bun.spawnSync(["sh", "-c", cmd], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0 && p.exitCode !== 1) throw new Error(`${cmd}: exit ${p.exitCode}\n${p.stderr.toString()}`);
  return p.stdout.toString();
}
const sumTab = (out: string) => out.trim().split("\n").filter(Boolean).reduce((a, l) => a + Number(l.split("\t").pop()), 0);
const sumColon = (out: string) => out.trim().split("\n").filter(Boolean).reduce((a, l) => a + Number(l.slice(l.lastIndexOf(":") + 1)), 0);
const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
const ms = (s: number) => `${(s * 1000).toFixed(s < 0.1 ? 1 : 0)} ms`;

interface Row {
  capture: string;
  row: string;
  logtap: Timed;
  peers: Timed[];
  /** logtap / faster peer (window rows: faster peer / logtap = speed-up). */
  ratio: number;
  target: string;
  met: boolean;
  note: string;
  cores: string;
}
const rows: Row[] = [];

/** One row: logtap and the two peers in one hyperfine run. */
function row(c: CaptureMarker, name: string, logtap: string, peers: [string, string], check?: { logtap: string; rg: string; exact: boolean }): void {
  let note = "";
  if (check) {
    const a = sumTab(sh(check.logtap));
    const b = check.rg.includes(" -c ") ? sumColon(sh(check.rg)) : Number(sh(check.rg).trim());
    if (check.exact && a !== b) throw new Error(`${name}: logtap counts ${a}, rg ${b}`);
    note = a === b ? `${a.toLocaleString("en")} matches (= rg)` : `logtap ${a.toLocaleString("en")} vs rg ${b.toLocaleString("en")}`;
  }
  const t = quietHyperfine(`${c.profile}-${name}`.replace(/[^\w.-]+/g, "_"), [logtap, ...peers], {
    out: OUT, runs: Number(args.runs), warmup: Number(args.warmup), quietWaitMs: Number(args["quiet-wait-ms"]),
  });
  const [l, ...p] = t as [Timed, Timed, Timed];
  const faster = Math.min(...p.map((x) => x.median));
  const r: Row = { capture: c.profile, row: name, logtap: l, peers: p, ratio: l.median / faster, target: "≤ 1.00", met: l.median <= faster, note, cores: quietNote(t) };
  rows.push(r);
  say(`  ${name.padEnd(44)} logtap ${ms(l.median).padStart(8)}  rg ${ms(p[0]!.median).padStart(8)}  zstd|grep ${ms(p[1]!.median).padStart(8)}  ratio ${r.ratio.toFixed(2)}  ${note}  [${r.cores}]`);
}

/** A window row: logtap over the window vs the peers' full scan of the same pattern (they cannot skip by time). */
function windowRow(c: CaptureMarker, share: number, fullPeers: [string, string]): void {
  const start = Date.parse(c.from);
  const end = Date.parse(c.to);
  const iso = (t: number) => new Date(Math.round(t / 1000) * 1000).toISOString().replace(".000Z", "Z");
  const from = iso(start + (0.5 - share / 2) * (end - start));
  const to = iso(start + (0.5 + share / 2) * (end - start));
  const name = `window ${share * 100} % (--count, ${PATTERN})`;
  const cmd = `${BIN} grep ${q(PATTERN)} ${c.dir} --count --from ${from} --to ${to}`;
  const verify = `zstd -dc ${c.dir}/*.zst | grep -F ${q(PATTERN)} | ${process.execPath} ${join(import.meta.dir, "window-count.ts")} ${from} ${to}`;
  const got = sumTab(sh(cmd));
  const expected = Number(sh(verify).trim());
  if (got !== expected) throw new Error(`${name}: logtap ${got}, zstd|grep|window-count ${expected}`);
  const t = quietHyperfine(`${c.profile}-window-${share}`, [cmd, ...fullPeers], {
    out: OUT, runs: Number(args.runs), warmup: Number(args.warmup), quietWaitMs: Number(args["quiet-wait-ms"]),
  });
  const [l, ...p] = t as [Timed, Timed, Timed];
  const speedup = Math.min(...p.map((x) => x.median)) / l.median;
  const need = 1 / share / 2;
  rows.push({ capture: c.profile, row: name, logtap: l, peers: p, ratio: speedup, target: `≥ ${need}× faster`, met: speedup >= need, note: `${got.toLocaleString("en")} matches (= zstd|grep|ts filter)`, cores: quietNote(t) });
  say(`  ${name.padEnd(44)} logtap ${ms(l.median).padStart(8)}  peers' full scan rg ${ms(p[0]!.median)} zstd|grep ${ms(p[1]!.median)}  ${speedup.toFixed(1)}× faster (need ${need}×)  [${quietNote(t)}]`);
}

const literalRows = (c: CaptureMarker, sels: [string, string][], modes: readonly string[]) => {
  for (const [sel, lit] of sels) {
    const rgc = `rg -z -c -F ${q(lit)} ${c.dir}/*.zst`;
    const check = { logtap: `${BIN} grep ${q(lit)} ${c.dir} --count`, rg: rgc, exact: true };
    for (const mode of modes) {
      if (mode === "count") row(c, `${sel} literal --count`, `${BIN} grep ${q(lit)} ${c.dir} --count`, [rgc, `zstd -dc ${c.dir}/*.zst | grep -cF ${q(lit)}`], check);
      else {
        const flags = mode === "text" ? " --format text" : "";
        row(c, `${sel} literal ${mode}`, `${BIN} grep ${q(lit)} ${c.dir}${flags} | wc -l`, [`rg -z --no-filename -F ${q(lit)} ${c.dir}/*.zst | wc -l`, `zstd -dc ${c.dir}/*.zst | grep -F ${q(lit)} | wc -l`]);
      }
    }
  }
};
const SELECTIVITIES: [string, string][] = [["0.01 %", TOKENS.rare], ["1 %", PATTERN], ["15 %", TOKENS.common], ["50 %", TOKENS.half]];

say(`load average at start: ${load()}`);
const main = await ensureCapture({ dir: captureDir(1), gib: 1, binary: args.binary });
say(`capture ${main.dir}: ${main.lines.toLocaleString("en")} lines, ${(main.jsonlBytes / 2 ** 30).toFixed(2)} GiB JSONL, ratio ${(main.jsonlBytes / main.storedBytes).toFixed(2)}`);
const D = main.dir;
if (want("select")) literalRows(main, SELECTIVITIES, ["count", "json", "text"]);
if (want("regex")) {
  for (const [name, pat, rgFlags, grepFlags] of [["(?i)error", "(?i)error", "-i error", "-i error"], ["error|timeout", "error|timeout", "'error|timeout'", "-E 'error|timeout'"]] as const) {
    const check = { logtap: `${BIN} grep ${q(pat)} ${D} --count`, rg: `rg -z -c ${rgFlags} ${D}/*.zst`, exact: false };
    row(main, `${name} --count`, `${BIN} grep ${q(pat)} ${D} --count`, [`rg -z -c ${rgFlags} ${D}/*.zst`, `zstd -dc ${D}/*.zst | grep -c ${grepFlags}`], check);
    row(main, `${name} json`, `${BIN} grep ${q(pat)} ${D} | wc -l`, [`rg -z --no-filename ${rgFlags} ${D}/*.zst | wc -l`, `zstd -dc ${D}/*.zst | grep ${grepFlags} | wc -l`]);
  }
}
if (want("label")) {
  const sel = `rg -z --no-filename -F '"app":"checkout"' ${D}/*.zst | grep -cF ${q(PATTERN)}`;
  const check = { logtap: `${BIN} grep ${q(PATTERN)} ${D} --label app=checkout --count`, rg: sel, exact: true };
  row(main, `--label app=checkout + 1 % literal --count`, `${BIN} grep ${q(PATTERN)} ${D} --label app=checkout --count`, [sel, `zstd -dc ${D}/*.zst | grep -F '"app":"checkout"' | grep -cF ${q(PATTERN)}`], check);
  row(main, `--label app=checkout + 1 % literal json`, `${BIN} grep ${q(PATTERN)} ${D} --label app=checkout | wc -l`, [`rg -z --no-filename -F '"app":"checkout"' ${D}/*.zst | grep -F ${q(PATTERN)} | wc -l`, `zstd -dc ${D}/*.zst | grep -F '"app":"checkout"' | grep -F ${q(PATTERN)} | wc -l`]);
}
if (want("window")) {
  const full: [string, string] = [`rg -z -c -F ${q(PATTERN)} ${D}/*.zst`, `zstd -dc ${D}/*.zst | grep -cF ${q(PATTERN)}`];
  for (const share of [0.01, 0.1, 0.5]) windowRow(main, share, full);
}
if (want("inspect")) {
  // inspect reads only metadata and index: its cost over a hello-world compiled with logtap's flags is what it adds.
  writeFileSync(join(OUT, "hello.ts"), `console.log("hello, world");\n`);
  const hello = join(OUT, "hello");
  if (Bun.spawnSync([process.execPath, "build", join(OUT, "hello.ts"), ...COMPILE_FLAGS, "--outfile", hello]).exitCode !== 0) throw new Error("compiling hello-world failed");
  const t = quietHyperfine("inspect", [`${BIN} inspect ${D}`, `${BIN} inspect ${D} --json`, hello], {
    out: OUT, runs: 20, warmup: 3, quietWaitMs: Number(args["quiet-wait-ms"]),
  });
  const [a, b, h] = t as [Timed, Timed, Timed];
  say(`  inspect ${ms(a.median)}, inspect --json ${ms(b.median)}, hello-world ${ms(h.median)}: ${(a.median / h.median).toFixed(2)}× / ${(b.median / h.median).toFixed(2)}× the hello-world [${quietNote(t)}]`);
  for (const [name, x] of [["inspect", a], ["inspect --json", b]] as const)
    rows.push({ capture: "mixed", row: name, logtap: x, peers: [h, h], ratio: x.median / h.median, target: "index only (× hello-world)", met: true, note: "peers = compiled hello-world", cores: quietNote(t) });
}
if (want("profiles")) {
  for (const profile of ["entropy", "repetitive"] as const) {
    const c = await ensureCapture({ dir: captureDir(0.25, profile), gib: 0.25, profile, binary: args.binary });
    say(`capture ${c.dir}: ${c.lines.toLocaleString("en")} lines, ratio ${(c.jsonlBytes / c.storedBytes).toFixed(2)}`);
    literalRows(c, [SELECTIVITIES[1]!, SELECTIVITIES[3]!], ["count", "json"]);
  }
}

say(`\nload average at end: ${load()}\n`);
say("| capture | row | logtap | rg -z | zstd -dc \\| grep | ratio | target | verdict | CPU logtap / faster peer's | notes | runs started quiet |");
say("|---|---|---|---|---|---|---|---|---|---|---|");
const cpu = (t: Timed) => t.user + t.system;
for (const r of rows) {
  say(`| ${r.capture} | ${r.row.replaceAll("|", "\\|")} | ${ms(r.logtap.median)} | ${ms(r.peers[0]!.median)} | ${ms(r.peers[1]!.median)} | ${r.ratio.toFixed(2)}${r.target.startsWith("≥") ? "×" : ""} | ${r.target} | ${r.met ? "met" : "missed"} | ${ms(cpu(r.logtap))} / ${ms(cpu(r.peers[0]!.median <= r.peers[1]!.median ? r.peers[0]! : r.peers[1]!))} | ${r.note} | ${r.cores} |`);
}
const plain = rows.filter((r) => r.target === "≤ 1.00");
const worst = plain.reduce((a, b) => (b.ratio > a.ratio ? b : a), plain[0]!);
if (worst) say(`\nworst non-window row: ${worst.capture} / ${worst.row}: ${worst.ratio.toFixed(2)}× the faster peer's time`);
writeFileSync(join(OUT, "matrix.json"), JSON.stringify({ load: load(), rows }, null, 2) + "\n");
