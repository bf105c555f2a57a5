/**
 * Key-to-frame latency and memory of the live dashboard while the receiver ingests (docs/benchmarks.md).
 *
 * The compiled binary runs `recv` in a real terminal (tmux, 120×40) with LOGTAP_TUI_LATENCY_LOG set, so the TUI
 * records for every key when the key event reached it and when the next frame was written to the terminal
 * (src/tui/latency-probe.ts). The ingest benchmark's load generator (scripts/bench/ingest/loadgen.ts, a separate
 * process, ~1 MiB protobuf+snappy pushes of 5,000 entries) pushes at --rate entries/s. Keys are sent one at a time
 * with `tmux send-keys` every --interval-ms; for each the runner notes the wall clock just before sending, so
 * there are two figures per key:
 *   key→frame   key event handled in the TUI → the frame showing it is on the terminal (in-process);
 *   send→frame  runner about to spawn `tmux send-keys` → that frame (includes tmux, the pty, and any time the key
 *               waited for the receiver's event loop — the figure a user feels; an upper bound).
 * RSS of the receiver is sampled every 500 ms from /proc; the `headless` scenario runs the same load without the
 * TUI, so the dashboard's own memory shows as the difference.
 *
 * Run: node_modules/.bin/bun scripts/bench/tui/run.ts [--binary dist/logtap] [--rate 100000] [--seconds 60]
 *        [--keys 80] [--interval-ms 250] [--tui-buffer 10000] [--only idle,load,headless]
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { TmuxSession, hasTmux, shellQuote } from "../../../tests/tui/tmux.ts";
import type { LatencySample } from "../../../src/tui/latency-probe.ts";
import type { LoadgenResult } from "../ingest/loadgen.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/logtap" },
    rate: { type: "string", default: "100000" },
    seconds: { type: "string", default: "60" },
    keys: { type: "string", default: "80" },
    "interval-ms": { type: "string", default: "250" },
    "tui-buffer": { type: "string", default: "10000" },
    only: { type: "string", default: "idle,load,headless" },
    pool: { type: "string", default: "20" },
  },
});
const BINARY = resolve(ROOT, args.binary!);
const RATE = Number(args.rate);
const KEYS = Number(args.keys);
const INTERVAL = Number(args["interval-ms"]);
// Each key changes the screen: scroll up (follow off), back to the bottom, help on/off, follow off/on, half pages.
const KEY_CYCLE = ["k", "G", "?", "?", "f", "f", "u", "d", "j", "G"];

if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: run node_modules/.bin/bun scripts/build.ts first`);
if (!hasTmux()) throw new Error("tmux is needed (apt-get install tmux)");

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : NaN);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(q(0.5)), p95: r(q(0.95)), p99: r(q(0.99)), max: r(s.at(-1) ?? NaN), mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function metrics(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    const i = line.lastIndexOf(" ");
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

function halves(xs: { at: number; mib: number }[]): { max1: number; max2: number } {
  if (xs.length === 0) return { max1: NaN, max2: NaN };
  const mid = (xs[0]!.at + xs.at(-1)!.at) / 2;
  const max = (ys: { mib: number }[]) => Math.round(Math.max(0, ...ys.map((y) => y.mib)));
  return { max1: max(xs.filter((x) => x.at <= mid)), max2: max(xs.filter((x) => x.at > mid)) };
}

interface ScenarioResult {
  name: string;
  keyToFrame: Stats;
  sendToFrame: Stats;
  arrival: Stats;
  /** Longest event-loop block per second while the TUI ran. */
  loopLag: Stats;
  keysSent: number;
  /** max1/max2: highest RSS in the first and second half of the run (equal-ish = bounded). */
  rssMiB: { start: number; max1: number; max2: number; end: number };
  ingest: { received: number; dropped: number; seconds: number; perSec: number } | null;
  loadgen: LoadgenResult | null;
}

async function scenario(name: string, rate: number, tui = true): Promise<ScenarioResult> {
  const dir = mkdtempSync(join("/tmp", "logtap-bench-tui-"));
  const latencyLog = join(dir, "latency.jsonl");
  const cmd = `${shellQuote(BINARY)} recv --listen 127.0.0.1:0 --dir ./cap --max-disk 4GB --tui-buffer ${Number(args["tui-buffer"])}${tui ? "" : " --headless"} 2>stderr.txt`;
  const s = TmuxSession.start(cmd, { cwd: dir, width: 120, height: 40, env: { LOGTAP_TUI_LATENCY_LOG: latencyLog } });
  let loadgen: ReturnType<typeof Bun.spawn> | null = null;
  try {
    let url: string;
    if (tui) {
      const screen = await s.waitFor((_, t) => /127\.0\.0\.1:\d+/.test(t) && t.includes("FOLLOW"), 20_000, "the dashboard");
      url = `http://${/(127\.0\.0\.1:\d+)/.exec(screen[0]!)![1]}`;
    } else {
      const screen = await s.waitFor((_, t) => /listening on 127\.0\.0\.1:\d+/.test(readFileSync(join(dir, "stderr.txt"), "utf8")), 20_000, "the receiver");
      void screen;
      url = `http://${/listening on (127\.0\.0\.1:\d+)/.exec(readFileSync(join(dir, "stderr.txt"), "utf8"))![1]}`;
    }
    const pid = s.pid();
    const rss: { at: number; mib: number }[] = [];
    const rssStart = rssMiB(pid) ?? NaN;
    const sampler = setInterval(() => {
      const v = rssMiB(pid);
      if (v !== null) rss.push({ at: performance.now(), mib: v });
    }, 500);

    let m0: Record<string, number> = {};
    let t0 = 0;
    let loadResult: Promise<LoadgenResult> | null = null;
    if (rate > 0) {
      const keyTime = tui ? (KEYS * INTERVAL) / 1000 : 0;
      const seconds = Math.max(Number(args.seconds), keyTime + 6);
      loadgen = Bun.spawn(
        [process.execPath, join(ROOT, "scripts/bench/ingest/loadgen.ts"), "--url", `${url}/loki/api/v1/push`, "--format", "proto", "--rate", String(rate), "--seconds", String(seconds), "--connections", "4", "--pool", args.pool!],
        { stdin: "pipe", stdout: "pipe", stderr: "inherit" },
      );
      const out = loadgen.stdout as ReadableStream<Uint8Array>;
      const reader = out.getReader();
      let text = "";
      while (!text.includes("READY")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("loadgen ended before READY");
        text += new TextDecoder().decode(value);
      }
      m0 = await metrics(url);
      t0 = performance.now();
      (loadgen.stdin as import("bun").FileSink).write("go\n");
      (loadgen.stdin as import("bun").FileSink).flush();
      loadResult = (async () => {
        let rest = text.slice(text.indexOf("READY") + 6);
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          rest += new TextDecoder().decode(value);
        }
        return JSON.parse(rest.trim().split("\n").at(-1)!) as LoadgenResult;
      })();
      // Warm-up: the receiver reaches its steady state before keys are measured.
      await Bun.sleep(4000);
    } else {
      await Bun.sleep(1000);
    }

    const sent: number[] = [];
    for (let i = 0; tui && i < KEYS; i++) {
      const k = KEY_CYCLE[i % KEY_CYCLE.length]!;
      sent.push(performance.timeOrigin + performance.now());
      s.keys(k);
      await Bun.sleep(INTERVAL);
    }
    // The load runs its full time (keys first, then ingest alone), so RSS can be watched for growth.
    const lg = loadResult ? await loadResult : null;
    let ingest: ScenarioResult["ingest"] = null;
    if (rate > 0) {
      const m1 = await metrics(url);
      const secs = (performance.now() - t0) / 1000;
      const received = (m1["logtap_logs_received_total"] ?? 0) - (m0["logtap_logs_received_total"] ?? 0);
      ingest = { received, dropped: (m1["logtap_logs_dropped_total"] ?? 0) - (m0["logtap_logs_dropped_total"] ?? 0), seconds: Math.round(secs * 10) / 10, perSec: Math.round(received / secs) };
    }
    clearInterval(sampler);
    const rssEnd = rssMiB(pid) ?? NaN;
    if (tui) s.keys("q");
    else process.kill(pid, "SIGTERM");
    const st = await s.waitForExit(60_000);
    if (st.status !== 0) throw new Error(`recv exited ${st.status}: ${readFileSync(join(dir, "stderr.txt"), "utf8")}`);

    const records = !tui ? [] : readFileSync(latencyLog, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as LatencySample & { loopLagMs?: number });
    const samples = records.filter((r) => r.loopLagMs === undefined);
    const loopLag = records.filter((r) => r.loopLagMs !== undefined).map((r) => r.loopLagMs!);
    // The last sample is the q that ended the run (its frame never comes, so it is not recorded); match in order.
    const n = Math.min(samples.length, sent.length);
    if (samples.length !== sent.length) console.error(`${name}: ${samples.length} samples for ${sent.length} keys`);
    const keyToFrame = samples.slice(0, n).map((x) => x.keyToFrameMs);
    const arrival = samples.slice(0, n).map((x, i) => x.keyAt - sent[i]!);
    const sendToFrame = samples.slice(0, n).map((x, i) => x.keyAt - sent[i]! + x.keyToFrameMs);
    return {
      name,
      keyToFrame: stats(keyToFrame),
      sendToFrame: stats(sendToFrame),
      arrival: stats(arrival),
      loopLag: stats(loopLag),
      keysSent: sent.length,
      rssMiB: { start: Math.round(rssStart), ...halves(rss), end: Math.round(rssEnd) },
      ingest,
      loadgen: lg,
    };
  } finally {
    loadgen?.kill();
    s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = new Set(args.only!.split(","));
const results: ScenarioResult[] = [];
console.error(`machine: ${cpus().length}× ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
if (only.has("idle")) results.push(await scenario("idle (no ingest)", 0));
if (only.has("load")) results.push(await scenario(`TUI, ingesting ${RATE.toLocaleString("en")} entries/s`, RATE));
if (only.has("headless")) results.push(await scenario(`--headless, ingesting ${RATE.toLocaleString("en")} entries/s (no TUI, for comparison)`, RATE, false));

const row = (label: string, x: Stats) => `| ${label} | ${x.n} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.max} |`;
for (const r of results) {
  console.log(`\n### ${r.name}\n`);
  if (r.ingest) console.log(`received ${r.ingest.received.toLocaleString("en")} entries in ${r.ingest.seconds} s (${r.ingest.perSec.toLocaleString("en")}/s), dropped ${r.ingest.dropped}; loadgen lag ${r.loadgen?.lagMs ?? "?"} ms\n`);
  if (r.keysSent > 0) {
    console.log("| measure (ms) | keys | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|");
    console.log(row("key→frame (in the TUI)", r.keyToFrame));
    console.log(row("send→frame (tmux send-keys → frame)", r.sendToFrame));
    console.log(row("send→key event (tmux + pty + event loop)", r.arrival));
    console.log(`| longest event-loop block per second | ${r.loopLag.n} s | ${r.loopLag.p50} | ${r.loopLag.p95} | ${r.loopLag.p99} | ${r.loopLag.max} |`);
  }
  console.log(`\nRSS of the receiver: ${r.rssMiB.start} MiB at start, max ${r.rssMiB.max1} MiB in the first half and ${r.rssMiB.max2} MiB in the second half of the run, ${r.rssMiB.end} MiB at the end`);
}
console.log("\n" + JSON.stringify(results));
