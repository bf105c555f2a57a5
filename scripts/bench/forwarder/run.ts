/**
 * Forwarder benchmark: the forwarder as it runs in a tapped pod — in-cluster environment pointing at a stand-in
 * cluster (service-account token, CA, the `logtap-forwarder` Role), reading a scripted sibling container, pushing
 * to a real `logtap recv` — with its RSS (VmRSS, VmHWM from /proc/<pid>/status) and CPU (utime+stime from
 * /proc/<pid>/stat) sampled every 250 ms. It decides two things and gives the figures for them:
 *
 * 1. Its own binary or a mode of `logtap`: sizes, time until /healthz answers, idle and loaded memory of
 *    dist/logtap-forwarder against a stand-in for `logtap forward` — the same forwarder compiled into an executable
 *    that also holds all of logtap (its entry and workers) and loads the CLI (src/cli/dispatch.ts) first, as a
 *    subcommand would.
 * 2. tap's default sidecar requests and limits: RSS and CPU at 1,000 lines/s and at saturation, and the worst
 *    case for memory: reading at full speed while the receiver is down (the retry buffer full, evicting).
 *
 * Run: node_modules/.bin/bun scripts/bench/forwarder/run.ts [--seconds 60] [--rate 1000] [--saturation-lines 300000]
 *        [--line-bytes 120] [--ready-runs 15] [--out /tmp/logtap-bench-forwarder] [--only ready,idle,rate,saturation,down,stalled,batching]
 *
 * Everything is built into --out from the working tree (teammates rebuild dist/ meanwhile).
 */

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { COMPILE_FLAGS } from "../../compile-flags.ts";
import { createKubelet } from "../../../tests/kube-stand-in/kubelet/index.ts";
import { startStandIn } from "../../../tests/kube-stand-in/stand-in.ts";
import { createPod, grantForwarderRole, podEnv, serviceAccountDir, tappedPod, waitRunning, type Cluster } from "../../../tests/forwarder/fixtures.ts";
import { startReceiver, type RunningReceiver } from "../../../tests/support/receiver-process.ts";
import { runStep } from "../shared/run-step.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    rate: { type: "string", default: "1000" },
    "saturation-lines": { type: "string", default: "300000" },
    "line-bytes": { type: "string", default: "120" },
    "ready-runs": { type: "string", default: "15" },
    out: { type: "string", default: "/tmp/logtap-bench-forwarder" },
    only: { type: "string", default: "ready,idle,rate,saturation,down,stalled,batching" },
    /** KEY=VALUE for every forwarder started (e.g. a JSC option to try). */
    env: { type: "string", multiple: true, default: [] },
  },
});
const ROOT = resolve(import.meta.dir, "../../..");
const OUT = resolve(args.out!);
const BUN = process.execPath;
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const SAT_LINES = Number(args["saturation-lines"]);
const LINE_BYTES = Number(args["line-bytes"]);
const ONLY = new Set(args.only!.split(","));
const EXTRA_ENV = Object.fromEntries(args.env!.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
const TICK = 100; // getconf CLK_TCK on Linux
const MiB = 1024 * 1024;
const say = (s = "") => process.stdout.write(s + "\n");

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

// --- the executables -------------------------------------------------------------------------------------------

const LOGTAP = join(OUT, "logtap");
const FORWARDER = join(OUT, "logtap-forwarder");
runStep([BUN, "scripts/build.ts", "--outfile", LOGTAP, "--forwarder-outfile", FORWARDER], "building logtap and logtap-forwarder");

/** An entry that runs the forwarder with other batching constants (the same module object forward.ts reads). */
function variantEntry(name: string, prelude: string): string {
  const file = join(OUT, `${name}.ts`);
  writeFileSync(
    file,
    `${prelude}\nconst { runForwarder } = await import(${JSON.stringify(join(ROOT, "forwarder/run.ts"))});\nprocess.exit(await runForwarder(process.env));\n`,
  );
  return file;
}

function compileEntries(name: string, entries: string[], extra: string[] = []): string {
  const exe = join(OUT, name);
  runStep([BUN, "build", ...entries, ...COMPILE_FLAGS, "--outfile", exe, ...extra], `compiling ${name}`);
  return exe;
}

// `logtap forward`: the CLI loaded first, and every byte of logtap in the executable.
const MODE = compileEntries(
  "logtap-forward-mode",
  [
    variantEntry("forward-mode", `await import(${JSON.stringify(join(ROOT, "src/cli/dispatch.ts"))});`),
    join(ROOT, "src/analysis/triage/scan-worker.ts"),
    join(ROOT, "src/server/push-decode-worker.ts"),
    join(ROOT, "src/capture/reader/frame-search-worker.ts"),
  ],
  ["--external", "@opentui/core-linux-x64-musl"],
);
// Upstream's batching: at most 100 lines per push (one container here, so "a container change" never cuts).
const UPSTREAM_BATCHING = compileEntries("logtap-forwarder-upstream-batching", [
  variantEntry("upstream-batching", `const { BATCHING } = await import(${JSON.stringify(join(ROOT, "forwarder/forward.ts"))});\nBATCHING.maxLines = 100;`),
]);
const HELLO = (() => {
  writeFileSync(join(OUT, "hello.ts"), `console.log("hello, world");\n`);
  return compileEntries("hello", [join(OUT, "hello.ts")]);
})();

// --- the cluster -----------------------------------------------------------------------------------------------

const kubelet = createKubelet({ timeScale: 0.01, keepHistory: false });
const k = await startStandIn({ components: [kubelet] });
const cluster: Cluster = { k, kubelet, stop: () => k.stop() };
await grantForwarderRole(cluster);
const saDir = await serviceAccountDir(cluster);
let pods = 0;

const padding = (n: number) => "x".repeat(Math.max(0, n));
/** A line of about --line-bytes: a JSON-ish application log line with a counter. */
const TEMPLATE = `{"level":"info","msg":"request served","n":{n},"pad":"${padding(LINE_BYTES - 50)}"}`;

async function newPod(script: object): Promise<string> {
  const name = `bench-${++pods}`;
  await createPod(cluster, tappedPod(name, { scripts: { app: script } }));
  await waitRunning(cluster, name, "app");
  return name;
}

// --- measuring a process -----------------------------------------------------------------------------------------

interface Sample {
  t: number;
  rssKiB: number;
  hwmKiB: number;
  cpuTicks: number;
}

function sample(pid: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
    return {
      t: performance.now(),
      rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)![1]),
      hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(status)![1]),
      cpuTicks: Number(f[11]) + Number(f[12]),
    };
  } catch {
    return undefined;
  }
}

interface Forwarder {
  proc: ReturnType<typeof Bun.spawn>;
  samples: Sample[];
  health: Promise<number>;
  stop(): Promise<void>;
}

function startForwarder(exe: string, pod: string, target: string, extraEnv: Record<string, string> = {}): Forwarder {
  const proc = Bun.spawn([exe], { env: podEnv(cluster, saDir, pod, target, { ...EXTRA_ENV, ...extraEnv }), stdout: "ignore", stderr: "pipe" });
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    const s = sample(proc.pid);
    if (s) samples.push(s);
  }, 250);
  let err = "";
  const decoder = new TextDecoder();
  const health = (async () => {
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
      err += decoder.decode(chunk, { stream: true });
      const m = /health server listening on \S+:(\d+)/.exec(err);
      if (m) return Number(m[1]);
    }
    throw new Error(`forwarder ended before its health server listened:\n${err}`);
  })();
  return {
    proc,
    samples,
    health,
    async stop() {
      clearInterval(timer);
      const s = sample(proc.pid);
      if (s) samples.push(s);
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

const hostPort = (recv: RunningReceiver) => recv.url.slice("http://".length);

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

async function until(what: string, deadlineMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

const mib = (kib: number) => (kib / 1024).toFixed(1);
const pct = (ticks: number, ms: number) => ((ticks / TICK / (ms / 1000)) * 100).toFixed(1);

/** CPU over the samples within [from, to] (performance.now() ms). */
function cpuBetween(samples: Sample[], from: number, to: number): { ticks: number; ms: number } {
  const inside = samples.filter((s) => s.t >= from && s.t <= to);
  if (inside.length < 2) return { ticks: 0, ms: 1 };
  return { ticks: inside.at(-1)!.cpuTicks - inside[0]!.cpuTicks, ms: inside.at(-1)!.t - inside[0]!.t };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

say(`# Forwarder benchmark — ${new Date().toISOString()}, Bun ${Bun.version}, ${navigator.hardwareConcurrency} cores`);
say();
say("| executable | size MiB |");
say("|---|---:|");
for (const [name, exe] of [["hello-world (Bun's floor)", HELLO], ["logtap-forwarder", FORWARDER], ["logtap", LOGTAP], ["`logtap forward` stand-in", MODE]] as const) {
  say(`| ${name} | ${(statSync(exe).size / MiB).toFixed(1)} |`);
}
say();

// --- 1. start-up: until /healthz answers, and the preStop path ---------------------------------------------------

if (ONLY.has("ready")) {
  const recv = await startReceiver([], { target: { name: "bench", cmd: [LOGTAP] } });
  const pod = await newPod({ lines: ["one line"] });
  const rows: string[] = [];
  for (const [name, exe] of [["logtap-forwarder", FORWARDER], ["`logtap forward` stand-in", MODE]] as const) {
    const ready: number[] = [];
    const hwm: number[] = [];
    for (let i = 0; i < Number(args["ready-runs"]); i++) {
      const t0 = performance.now();
      const f = startForwarder(exe, pod, hostPort(recv));
      const port = await f.health;
      await until("/healthz", 10_000, async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ?? false);
      ready.push(performance.now() - t0);
      await Bun.sleep(300);
      await f.stop();
      hwm.push(f.samples.at(-1)?.hwmKiB ?? NaN);
    }
    rows.push(`| ${name} | ${median(ready).toFixed(0)} | ${Math.min(...ready).toFixed(0)}–${Math.max(...ready).toFixed(0)} | ${mib(median(hwm))} |`);
  }
  const sleepRuns: number[] = [];
  for (let i = 0; i < Number(args["ready-runs"]); i++) {
    const t0 = performance.now();
    await Bun.spawn([FORWARDER, "sleep", "0"], { env: {} }).exited;
    sleepRuns.push(performance.now() - t0);
  }
  await recv.stop();
  say(`Start-up (median of ${args["ready-runs"]} runs): spawn → /healthz answers; peak RSS 0.3 s later`);
  say();
  say("| executable | ms to /healthz | range | peak RSS MiB |");
  say("|---|---:|---:|---:|");
  for (const r of rows) say(r);
  say(`| \`logtap-forwarder sleep 0\` (the preStop path, to exit) | ${median(sleepRuns).toFixed(0)} | ${Math.min(...sleepRuns).toFixed(0)}–${Math.max(...sleepRuns).toFixed(0)} | |`);
  say();
}

// --- 2. idle, and a steady rate ----------------------------------------------------------------------------------

async function steady(label: string, exe: string, rate: number, seconds: number): Promise<string> {
  const recv = await startReceiver([], { target: { name: "bench", cmd: [LOGTAP] } });
  const total = Math.max(1, Math.round(rate * seconds));
  const pod = await newPod(rate > 0 ? { template: TEMPLATE, count: total, rate } : { lines: ["one line"] });
  const t0 = performance.now();
  const f = startForwarder(exe, pod, hostPort(recv));
  const port = await f.health;
  const end = t0 + Math.max(seconds, 10) * 1000;
  await Bun.sleep(Math.max(0, end - performance.now()));
  await until(`${total} lines pushed`, 60_000, async () => (await metric(port, "logtap_forwarder_lines_pushed_total")) >= total);
  const pushes = await metric(port, "logtap_forwarder_pushes_total");
  const pushed = await metric(port, "logtap_forwarder_lines_pushed_total");
  const t1 = performance.now();
  await f.stop();
  // The receiver acknowledges a push once queued; its writer catches up a moment later.
  let written = 0;
  await until("the receiver to write what it took", 10_000, async () => (written = (await recv.metrics()).logtap_logs_written_total ?? 0) >= pushed).catch(() => {});
  await recv.stop();
  // CPU from the second second on (start-up excluded), RSS at the end and at its peak.
  const cpu = cpuBetween(f.samples, t0 + 2000, t1);
  const last = f.samples.at(-1)!;
  const rssMid = median(f.samples.filter((s) => s.t >= t0 + 2000).map((s) => s.rssKiB));
  return `| ${label} | ${rate === 0 ? "idle" : rate.toLocaleString("en-US")} | ${written?.toLocaleString("en-US")} | ${pushes} | ${mib(rssMid)} | ${mib(last.hwmKiB)} | ${pct(cpu.ticks, cpu.ms)} |`;
}

if (ONLY.has("idle") || ONLY.has("rate") || ONLY.has("batching")) {
  const rows: string[] = [];
  if (ONLY.has("idle")) {
    rows.push(await steady("logtap-forwarder", FORWARDER, 0, 20));
    rows.push(await steady("`logtap forward` stand-in", MODE, 0, 20));
  }
  if (ONLY.has("rate")) {
    rows.push(await steady("logtap-forwarder", FORWARDER, RATE, SECONDS));
    rows.push(await steady("`logtap forward` stand-in", MODE, RATE, SECONDS));
  }
  if (ONLY.has("batching")) rows.push(await steady("logtap-forwarder, upstream's 100-line pushes", UPSTREAM_BATCHING, RATE, SECONDS));
  say(`Steady runs (${LINE_BYTES}-byte lines; CPU from the 2nd second to the last line pushed; RSS median over the run and peak):`);
  say();
  say("| executable | lines/s | lines delivered | pushes | RSS MiB | peak RSS MiB | CPU % of a core |");
  say("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) say(r);
  say();
}

// --- 3. saturation -----------------------------------------------------------------------------------------------

if (ONLY.has("saturation")) {
  const recv = await startReceiver([], { target: { name: "bench", cmd: [LOGTAP] } });
  // All lines are in the container's log before the forwarder starts: it reads as fast as it can.
  const pod = await newPod({ template: TEMPLATE, count: SAT_LINES });
  await until("the script written", 60_000, async () => kubelet.kubelet.container("default", pod, "app").written >= SAT_LINES);
  const t0 = performance.now();
  const f = startForwarder(FORWARDER, pod, hostPort(recv));
  const port = await f.health;
  const ready = performance.now();
  await until(`${SAT_LINES} lines pushed`, 600_000, async () => (await metric(port, "logtap_forwarder_lines_pushed_total")) >= SAT_LINES);
  const t1 = performance.now();
  await f.stop();
  await recv.stop();
  const cpu = cpuBetween(f.samples, t0, t1);
  say(`Saturation: ${SAT_LINES.toLocaleString("en-US")} lines already in the log, read and pushed as fast as the stand-in serves them`);
  say();
  say("| lines/s (health server up → last push) | seconds | peak RSS MiB | CPU % of a core |");
  say("|---:|---:|---:|---:|");
  say(`| ${Math.round(SAT_LINES / ((t1 - ready) / 1000)).toLocaleString("en-US")} | ${((t1 - t0) / 1000).toFixed(1)} | ${mib(f.samples.at(-1)!.hwmKiB)} | ${pct(cpu.ticks, cpu.ms)} |`);
  say();
}

// --- 4. the worst case for memory: saturation with the receiver down ------------------------------------------

if (ONLY.has("down")) {
  // Nothing listens there: after one failed attempt every batch goes to the 1 MiB retry buffer, which evicts.
  const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const target = `127.0.0.1:${dead.port}`;
  dead.stop(true);
  const pod = await newPod({ template: TEMPLATE, count: SAT_LINES });
  await until("the script written", 60_000, async () => kubelet.kubelet.container("default", pod, "app").written >= SAT_LINES);
  const t0 = performance.now();
  const f = startForwarder(FORWARDER, pod, target, { LOGTAP_RETRY_MAX: "1" });
  const port = await f.health;
  await until(`${SAT_LINES} lines read`, 600_000, async () => (await metric(port, "logtap_forwarder_lines_read_total")) >= SAT_LINES);
  const t1 = performance.now();
  await Bun.sleep(1000);
  const buffered = await metric(port, "logtap_forwarder_buffer_usage_bytes");
  await f.stop();
  const cpu = cpuBetween(f.samples, t0, t1);
  say(`Receiver down: ${SAT_LINES.toLocaleString("en-US")} lines read as fast as served, into the default 1 MiB retry buffer`);
  say();
  say("| lines/s read | buffer estimate at the end | peak RSS MiB | CPU % of a core |");
  say("|---:|---:|---:|---:|");
  say(`| ${Math.round(SAT_LINES / ((t1 - t0) / 1000)).toLocaleString("en-US")} | ${(buffered / MiB).toFixed(2)} MiB | ${mib(f.samples.at(-1)!.hwmKiB)} | ${pct(cpu.ticks, cpu.ms)} |`);
  say();
}

// --- 5. a receiver that does not answer yet: the reading stops at the queue's bound ---------------------------

if (ONLY.has("stalled")) {
  const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const target = `127.0.0.1:${dead.port}`;
  dead.stop(true);
  const pod = await newPod({ template: TEMPLATE, count: SAT_LINES });
  await until("the script written", 60_000, async () => kubelet.kubelet.container("default", pod, "app").written >= SAT_LINES);
  // LOGTAP_RETRY_MAX's default 10 keeps the first push retrying for minutes: everything read meanwhile waits in memory.
  const f = startForwarder(FORWARDER, pod, target);
  const port = await f.health;
  let read = -1;
  for (;;) {
    await Bun.sleep(2000);
    const now = await metric(port, "logtap_forwarder_lines_read_total");
    if (now === read) break;
    read = now;
  }
  await f.stop();
  say(`Receiver not answering yet (the first push retrying): ${LINE_BYTES}-byte lines waiting in memory`);
  say();
  say("| lines read before the reading stopped | peak RSS MiB |");
  say("|---:|---:|");
  say(`| ${read.toLocaleString("en-US")} | ${mib(f.samples.at(-1)!.hwmKiB)} |`);
  say();
}

await k.stop();
