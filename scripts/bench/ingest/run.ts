/**
 * Ingest benchmark of `logtap recv`: a real receiver process fed by a separate load-generator process with
 * realistic ~1 MiB Loki pushes, against the single-thread in-process floor of the same work.
 *
 * Run: node_modules/.bin/bun scripts/bench/ingest/run.ts [--seconds 20] [--binary dist/logtap|none] [--src DIR]
 *        [--connections 6] [--rates 400000,500000] [--floor-seconds 5] [--pool 50]
 *        [--only proto,json,redact,rate,floor] [--quiet-wait 20] [--keep-dirs]
 *
 * Without --binary it uses dist/logtap when that exists, else runs the receiver from sources
 * (`bun src/cli/main.ts recv`). Each scenario gets a fresh temp directory under /tmp, deleted afterwards.
 * The machine may be shared: every scenario reports CPU used by other processes during its window and the
 * table marks rows where that exceeded 10 % of one core (⚠) — re-run those with --only. See docs/benchmarks.md.
 */

import { cpus, release, totalmem } from "node:os";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Entry } from "../../../src/model/entry.ts";
import type { JsonlBatch } from "../../../src/model/jsonl-batch.ts";
import type { LoadgenResult } from "./loadgen.ts";
import { buildPool, type Payload } from "./payloads.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const BUN = process.execPath;

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    binary: { type: "string" },
    src: { type: "string" },
    connections: { type: "string", default: "6" },
    rates: { type: "string", default: "400000,500000" },
    "floor-seconds": { type: "string", default: "5" },
    pool: { type: "string", default: "50" },
    only: { type: "string" },
    "keep-dirs": { type: "boolean", default: false },
    /** Seconds to wait, before each scenario, for other processes to leave the CPUs alone (0 = don't wait). */
    "quiet-wait": { type: "string", default: "20" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const RATES = args.rates!.split(",").filter(Boolean).map(Number);
const FLOOR_SECONDS = Number(args["floor-seconds"]);
const POOL = Number(args.pool);
const only = args.only ? new Set(args.only.split(",")) : null;

// --src DIR: another source tree (e.g. a /tmp copy made by make-variant.ts) for A/B runs: the floor imports its
// stages from there, and the receiver is DIR/dist/logtap when built, else its sources. --binary overrides the
// receiver; `--binary none` forces the sources.
const srcRoot = args.src ? resolve(args.src) : ROOT;
const builtBinary = join(srcRoot, "dist/logtap");
const binary = args.binary === "none" ? undefined : args.binary ? resolve(ROOT, args.binary) : existsSync(builtBinary) ? builtBinary : undefined;
const receiverCmd = binary ? [binary, "recv"] : [BUN, join(srcRoot, "src/cli/main.ts"), "recv"];
const receiverLabel = binary ? binary : `sources (bun ${join(srcRoot, "src/cli/main.ts")}; no dist/logtap built)`;
const redactorPath = join(srcRoot, "src/redact/redactor.ts");
const haveRedactor = existsSync(redactorPath);

// ---------------------------------------------------------------------------------------------------------------
// machine

function machine(): string {
  const cpu = cpus()[0]?.model?.trim() || "unknown";
  let mhz = "";
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/cpu MHz\s*:\s*([\d.]+)/);
    if (m) mhz = ` @ ${Math.round(Number(m[1]))} MHz`;
  } catch {}
  return `${cpu}${mhz}, ${cpus().length} cores (navigator.hardwareConcurrency ${navigator.hardwareConcurrency}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Bun ${Bun.version} (${Bun.revision.slice(0, 8)})`;
}

// ---------------------------------------------------------------------------------------------------------------
// in-process floor

interface FloorResult {
  name: string;
  entriesPerS: number;
  msgMBps: number;
  /** µs per push for each stage. */
  stages: Record<string, number>;
}

const FRAME = 1 << 20;

/** Compresses JSONL the way the capture writer does: ≤ 1 MiB frames cut at line ends, level 1. */
function compressFrames(bytes: Uint8Array, ends: Uint32Array): number {
  let out = 0;
  let start = 0;
  let prev = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (end - start > FRAME && prev > start) {
      out += Bun.zstdCompressSync(bytes.subarray(start, prev), { level: 1 }).length;
      start = prev;
    }
    prev = end;
  }
  if (prev > start) out += Bun.zstdCompressSync(bytes.subarray(start, prev), { level: 1 }).length;
  return out;
}

type Redact = ((msg: string) => string) | null;

// The floor runs the receiver's own stage functions, from the tree being measured (see --src).
const stages = {
  // The push handler's snappy step (snappyjs behind the 413/400 error mapping).
  unsnappy: (await import(join(srcRoot, "src/server/unsnappy.ts"))).unsnappy as (b: Uint8Array, max: number) => Uint8Array,
  decodeProto: (await import(join(srcRoot, "src/protocols/loki/decode-proto.ts"))).decodeProto as (b: Uint8Array) => Entry[],
  decodeJson: (await import(join(srcRoot, "src/protocols/loki/decode-json.ts"))).decodeJson as (b: Uint8Array) => Entry[],
  encodeJsonlBatch: (await import(join(srcRoot, "pipeline/stages/encode-jsonl.ts"))).encodeJsonlBatch as (b: { entries: Entry[] }) => JsonlBatch,
};
const MAX_DECODED = 256 * 1024 * 1024;

function floor(name: string, pool: Payload[], kind: "proto" | "json", redact: Redact, seconds: number): FloorResult {
  const t = { unsnappy: 0, decode: 0, redact: 0, encode: 0, zstd: 0 };
  const once = (p: Payload, timing: boolean): number => {
    let a = performance.now();
    let entries: Entry[];
    if (kind === "proto") {
      const raw = stages.unsnappy(p.protoSnappy, MAX_DECODED);
      let b = performance.now();
      if (timing) t.unsnappy += b - a;
      a = b;
      entries = stages.decodeProto(raw);
      b = performance.now();
      if (timing) t.decode += b - a;
      a = b;
    } else {
      entries = stages.decodeJson(p.json);
      const b = performance.now();
      if (timing) t.decode += b - a;
      a = b;
    }
    if (redact) {
      for (let i = 0; i < entries.length; i++) entries[i]!.msg = redact(entries[i]!.msg);
      const b = performance.now();
      if (timing) t.redact += b - a;
      a = b;
    }
    const batch = stages.encodeJsonlBatch({ entries });
    let b = performance.now();
    if (timing) t.encode += b - a;
    a = b;
    compressFrames(batch.bytes, batch.ends);
    b = performance.now();
    if (timing) t.zstd += b - a;
    return entries.length;
  };
  // Warm-up: JIT and label interning, as a running receiver has them.
  for (let r = 0; r < 2; r++) for (const p of pool) once(p, false);
  let entries = 0;
  let msgBytes = 0;
  let pushes = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const p = pool[pushes % pool.length]!;
    entries += once(p, true);
    msgBytes += p.msgBytes;
    pushes++;
  }
  const s = (performance.now() - started) / 1000;
  const perStage: Record<string, number> = {};
  for (const [k, v] of Object.entries(t)) if (v > 0) perStage[k] = Math.round((v * 1000) / pushes);
  return { name, entriesPerS: entries / s, msgMBps: msgBytes / s / 1e6, stages: perStage };
}

// ---------------------------------------------------------------------------------------------------------------
// receiver process helpers

function procStatus(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = Number(s.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
    const hwm = Number(s.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) * 1024;
    return { rss, hwm };
  } catch {
    return null;
  }
}

const CLK_TCK = 100;

/** CPU seconds per thread name (threads with the same name summed), from /proc/<pid>/task/<tid>/stat. */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime
      // Pool threads carry numbered names (e.g. "Bun Pool 3"); group them.
      const key = tid === String(pid) ? "main" : name.replace(/\d+$/, "#");
      out.set(key, (out.get(key) ?? 0) + cpu);
    } catch {}
  }
  return out;
}

function diffCpu(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [k, v] of b) {
    const x = v - (a.get(k) ?? 0);
    if (x >= 0.05) d[k] = Math.round(x * 100) / 100;
  }
  return d;
}

/** Machine-wide CPU jiffies from /proc/stat: busy (user+nice+system+irq+softirq), idle (+iowait) and steal. */
function machineCpu(): { busy: number; idle: number; steal: number } {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busy: f[0]! + f[1]! + f[2]! + f[5]! + f[6]!, idle: f[3]! + f[4]!, steal: f[7] ?? 0 };
  } catch {
    return { busy: 0, idle: 0, steal: 0 };
  }
}

/** Waits (up to `maxS`) until the machine is < 10 % busy over a second; returns the last busy %. */
async function waitQuiet(maxS: number): Promise<number> {
  const until = performance.now() + maxS * 1000;
  let said = false;
  for (;;) {
    const a = machineCpu();
    await Bun.sleep(1000);
    const b = machineCpu();
    const total = b.busy - a.busy + (b.idle - a.idle) + (b.steal - a.steal);
    const busy = total > 0 ? (100 * (b.busy - a.busy)) / total : 0;
    if (busy < 10 || performance.now() >= until) {
      if (said) process.stdout.write(busy < 10 ? "quiet. " : `gave up (${busy.toFixed(0)}% busy). `);
      return busy;
    }
    if (!said) process.stdout.write(`(machine ${busy.toFixed(0)}% busy before the run: waiting up to ${maxS} s for it to calm down… `);
    said = true;
  }
}

async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  await s.stop(true);
  return port;
}

/** Collects a child's stderr as text and resolves a promise when a line matching `re` appears. */
function watchStderr(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const done = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      text += dec.decode(chunk, { stream: true });
      for (let i = waiters.length - 1; i >= 0; i--) {
        const m = text.match(waiters[i]!.re);
        if (m) {
          waiters[i]!.resolve(m);
          waiters.splice(i, 1);
        }
      }
    }
  })();
  return {
    get text() {
      return text;
    },
    done,
    wait(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
      const m = text.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${re} in:\n${text}`)), timeoutMs);
        waiters.push({ re, resolve: (m) => (clearTimeout(timer), res(m)) });
      });
    },
  };
}

function metric(text: string, name: string): number {
  const m = text.match(new RegExp(`^${name} (\\S+)$`, "m"));
  return m ? Number(m[1]) : NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// scenarios

interface Scenario {
  key: string;
  name: string;
  format: "proto" | "json";
  flags: string[];
  rate: number;
}

interface ScenarioResult {
  scenario: Scenario;
  ok: boolean;
  error?: string;
  load?: LoadgenResult;
  received: number;
  dropped: number;
  writtenAtEnd: number;
  doneLines: number;
  doneBytes: number;
  entriesPerS: number;
  msgMBps: number;
  peakRss: number;
  hwm: number;
  diskBytes: number;
  drainMs: number;
  cpu: Record<string, number>;
  /** Whole machine during the load: % of all cores busy, and % stolen by the hypervisor. */
  machineBusyPct: number;
  stealPct: number;
  /** CPU seconds used during the load by processes other than receiver, load generator and this runner. */
  foreignCpuS: number;
}

async function runScenario(sc: Scenario): Promise<ScenarioResult> {
  const dir = mkdtempSync("/tmp/logtap-ingest-");
  const capture = join(dir, "capture");
  const port = await freePort();
  const res: ScenarioResult = {
    scenario: sc, ok: false, received: 0, dropped: 0, writtenAtEnd: 0, doneLines: 0, doneBytes: 0, entriesPerS: 0,
    msgMBps: 0, peakRss: 0, hwm: 0, diskBytes: 0, drainMs: 0, cpu: {}, machineBusyPct: 0, stealPct: 0, foreignCpuS: 0,
  };
  const recv = Bun.spawn([...receiverCmd, "--headless", "--listen", `127.0.0.1:${port}`, "--dir", capture, ...sc.flags], {
    cwd: ROOT,
    stdout: "ignore",
    stderr: "pipe",
  });
  const err = watchStderr(recv.stderr);
  let peak = 0;
  let hwm = 0;
  const sampler = setInterval(() => {
    const s = procStatus(recv.pid);
    if (s) {
      peak = Math.max(peak, s.rss);
      hwm = Math.max(hwm, s.hwm);
    }
  }, 100);
  let loadgen: ReturnType<typeof Bun.spawn> | null = null;
  try {
    await Promise.race([
      err.wait(/logtap recv listening on /, 30_000),
      recv.exited.then((code) => {
        throw new Error(`receiver exited with ${code}: ${err.text.trim()}`);
      }),
    ]);
    const url = `http://127.0.0.1:${port}`;
    loadgen = Bun.spawn(
      [BUN, join(import.meta.dir, "loadgen.ts"), "--url", `${url}/loki/api/v1/push`, "--format", sc.format, "--seconds", String(SECONDS),
        "--connections", String(CONNECTIONS), "--rate", String(sc.rate), "--pool", String(POOL)],
      { cwd: ROOT, stdin: "pipe", stdout: "pipe", stderr: "inherit" },
    );
    const out = watchStderr(loadgen.stdout as ReadableStream<Uint8Array>);
    await out.wait(/READY\n/, 60_000);
    const cpu0 = threadCpu(recv.pid);
    const m0 = machineCpu();
    const self0 = process.cpuUsage();
    (loadgen.stdin as import("bun").FileSink).write("go\n");
    (loadgen.stdin as import("bun").FileSink).end();
    const code = await loadgen.exited;
    await out.done;
    const cpu1 = threadCpu(recv.pid);
    const m1 = machineCpu();
    res.cpu = diffCpu(cpu0, cpu1);
    const total = m1.busy - m0.busy + (m1.idle - m0.idle) + (m1.steal - m0.steal);
    res.machineBusyPct = total > 0 ? (100 * (m1.busy - m0.busy)) / total : 0;
    res.stealPct = total > 0 ? (100 * (m1.steal - m0.steal)) / total : 0;
    const self1 = process.cpuUsage(self0);
    const recvCpu = [...cpu1].reduce((a, [k, v]) => a + v - (cpu0.get(k) ?? 0), 0);
    const line = out.text.split("\n").find((l) => l.startsWith("{"));
    const loadCpu = line ? (JSON.parse(line) as LoadgenResult).cpuS : 0;
    res.foreignCpuS = Math.max(0, (m1.busy - m0.busy) / CLK_TCK - recvCpu - loadCpu - (self1.user + self1.system) / 1e6);
    if (code !== 0 || !line) throw new Error(`load generator failed (exit ${code}): ${out.text}`);
    res.load = JSON.parse(line) as LoadgenResult;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    res.received = metric(metrics, "logtap_logs_received_total");
    res.dropped = metric(metrics, "logtap_logs_dropped_total");
    res.writtenAtEnd = metric(metrics, "logtap_logs_written_total");
    const t0 = performance.now();
    recv.kill("SIGTERM");
    const done = await err.wait(/done: (\d+) lines, (\d+) bytes written/, 120_000);
    await recv.exited;
    res.drainMs = performance.now() - t0;
    res.doneLines = Number(done[1]);
    res.doneBytes = Number(done[2]);
    res.entriesPerS = res.received / res.load.elapsedS;
    // Message bytes of accepted entries: the pool's mean line size times what the receiver accepted.
    res.msgMBps = (res.received * (res.load.sentMsgBytes / Math.max(1, res.load.sentEntries))) / res.load.elapsedS / 1e6;
    for (const name of readdirSync(capture)) if (name.endsWith(".jsonl.zst") || name.endsWith(".jsonl")) {
      if (name === "index.jsonl" || name === "audit.jsonl") continue;
      res.diskBytes += statSync(join(capture, name)).size;
    }
    res.ok = true;
  } catch (e) {
    res.error = (e as Error).message;
    loadgen?.kill("SIGKILL");
    recv.kill("SIGKILL");
    await recv.exited;
  } finally {
    clearInterval(sampler);
    res.peakRss = peak;
    res.hwm = hwm;
    if (!args["keep-dirs"]) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// main

const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const mb = (n: number) => (n / 1e6).toFixed(1);
const mib = (n: number) => (n / 2 ** 20).toFixed(0);

console.log(`machine: ${machine()}`);
console.log(`receiver: ${receiverLabel}; load: ${CONNECTIONS} connections, ${SECONDS} s per scenario, pool of ${POOL} pushes`);

const tPool = performance.now();
const pool = buildPool(POOL);
const avg = (f: (p: Payload) => number) => pool.reduce((a, p) => a + f(p), 0) / pool.length;
console.log(
  `payloads: ${pool[0]!.entries} entries/push, ${mb(avg((p) => p.msgBytes))} MB of log text/push ` +
    `(${avg((p) => p.msgBytes / p.entries).toFixed(0)} B/line), protobuf ${mb(avg((p) => p.protoRaw.length))} MB → snappy ` +
    `${mb(avg((p) => p.protoSnappy.length))} MB, JSON ${mb(avg((p) => p.json.length))} MB (built in ${((performance.now() - tPool) / 1000).toFixed(1)} s)`,
);

let redactFn: Redact = null;
let redactNote = "";
if (haveRedactor) {
  try {
    const mod = await import(redactorPath);
    const names = typeof mod.parseRedactFlag === "function" ? mod.parseRedactFlag("") : undefined;
    const r = await mod.createRedactor({ names, onHit: () => {} });
    redactFn = (m: string) => r.redact(m);
    redactNote = `patterns: ${[...(r.patterns ?? [])].join(",")}`;
  } catch (e) {
    redactNote = `redactor present but not usable in-process: ${(e as Error).message}`;
  }
} else {
  redactNote = "src/redact/redactor.ts not present yet";
}

console.log(`\nfloor (in-process, one thread, no HTTP, ${FLOOR_SECONDS} s each):`);
const floors: FloorResult[] = [];
const wantFloor = (k: string) => !only || only.has(k) || only.has("floor");
if (wantFloor("proto")) floors.push(floor("protobuf", pool, "proto", null, FLOOR_SECONDS));
if (wantFloor("json")) floors.push(floor("JSON", pool, "json", null, FLOOR_SECONDS));
if (wantFloor("redact") && redactFn) floors.push(floor("protobuf + redact", pool, "proto", redactFn, FLOOR_SECONDS));
for (const f of floors) {
  const st = Object.entries(f.stages).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} ms`).join(", ");
  console.log(`  ${f.name.padEnd(18)} ${fmtInt(f.entriesPerS).padStart(10)} entries/s  ${f.msgMBps.toFixed(0).padStart(4)} MB/s text   per push: ${st}`);
}
if (!redactFn) console.log(`  (no redact floor: ${redactNote})`);

const scenarios: Scenario[] = ([
  { key: "proto", name: "protobuf, default flags", format: "proto", flags: [], rate: 0 },
  { key: "json", name: "JSON, default flags", format: "json", flags: [], rate: 0 },
  { key: "redact", name: "protobuf, --redact", format: "proto", flags: ["--redact"], rate: 0 },
  ...RATES.map((rate): Scenario => ({ key: "rate", name: `protobuf @ ${fmtInt(rate)}/s`, format: "proto", flags: [], rate })),
] satisfies Scenario[]).filter((s) => !only || only.has(s.key));

const results: ScenarioResult[] = [];
for (const sc of scenarios) {
  process.stdout.write(`\n`);
  if (Number(args["quiet-wait"]) > 0) await waitQuiet(Number(args["quiet-wait"]));
  // Speed probe: the protobuf floor chain for half a second, so a slower host (noisy neighbours) shows up.
  const probe = floor("probe", pool.slice(0, 10), "proto", null, 0.5).entriesPerS;
  process.stdout.write(`scenario: ${sc.name} (speed probe ${fmtInt(probe)} entries/s) … `);
  const r = await runScenario(sc);
  results.push(r);
  if (!r.ok) {
    console.log(`FAILED: ${r.error?.split("\n")[0]}`);
    continue;
  }
  const l = r.load!;
  console.log(
    `${fmtInt(r.entriesPerS)} entries/s accepted\n` +
      `  load: ${l.pushes} pushes in ${l.elapsedS.toFixed(1)} s, ${fmtInt(l.sentEntries)} entries sent, ${l.status204} × 204, ` +
      `${l.non2xx} non-2xx, ${l.transportErrors} transport errors${l.firstError ? ` (first: ${l.firstError})` : ""}; ` +
      `latency p50 ${l.latencyMs.p50} ms p99 ${l.latencyMs.p99} ms; loadgen CPU ${l.cpuS.toFixed(1)} s` +
      (l.targetRate ? `; schedule lag at end ${l.lagMs} ms` : "") +
      `\n  receiver: received ${fmtInt(r.received)}, dropped ${fmtInt(r.dropped)}, written ${fmtInt(r.writtenAtEnd)} at end of load, ` +
      `done: ${fmtInt(r.doneLines)} lines (drain ${Math.round(r.drainMs)} ms); peak RSS ${mb(Math.max(r.peakRss, r.hwm))} MB ` +
      `(${mib(Math.max(r.peakRss, r.hwm))} MiB; sampled VmRSS ${mb(r.peakRss)} MB, VmHWM ${mb(r.hwm)} MB); ` +
      `disk ${mb(r.diskBytes)} MB for ${mb(r.doneBytes)} MB JSONL\n` +
      `  receiver CPU during load (s, by thread): ${JSON.stringify(r.cpu)}; machine ${r.machineBusyPct.toFixed(0)}% busy, ` +
      `${r.stealPct.toFixed(1)}% steal, other processes ${r.foreignCpuS.toFixed(1)} CPU-s` +
      (r.foreignCpuS > 0.1 * SECONDS ? " ← machine not quiet: numbers are low" : ""),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// summary table

const floorProto = floors.find((f) => f.name === "protobuf");
const floorFor = (sc: Scenario) =>
  sc.format === "json" ? floors.find((f) => f.name === "JSON") : sc.flags.includes("--redact") ? floors.find((f) => f.name === "protobuf + redact") : floorProto;

const header = ["scenario", "accepted entries/s", "MB/s text", "drops", "written lines", "peak RSS MB", "disk MB (zstd)", "floor entries/s", "floor / recv"];
const rows: string[][] = [];
for (const r of results) {
  const f = floorFor(r.scenario);
  if (!r.ok) {
    rows.push([r.scenario.name, `FAILED: ${r.error?.split("\n")[0]?.slice(0, 60)}`, "", "", "", "", "", "", ""]);
    continue;
  }
  rows.push([
    r.scenario.name + (r.scenario.rate ? ` (sent ${fmtInt(r.load!.sentEntries / r.load!.elapsedS)}/s)` : "") +
      (r.foreignCpuS > 0.1 * SECONDS ? ` ⚠ other load ${r.foreignCpuS.toFixed(0)} CPU-s` : ""),
    fmtInt(r.entriesPerS),
    r.msgMBps.toFixed(0),
    fmtInt(r.dropped),
    fmtInt(r.doneLines),
    mb(Math.max(r.peakRss, r.hwm)).replace(/\.\d$/, ""),
    mb(r.diskBytes),
    f ? fmtInt(f.entriesPerS) : "–",
    f && !r.scenario.rate ? (f.entriesPerS / r.entriesPerS).toFixed(2) + "×" : "–",
  ]);
}
console.log("\n| " + header.join(" | ") + " |");
console.log("|" + header.map((_, i) => (i === 0 ? "---" : "---:")).join("|") + "|");
for (const row of rows) console.log("| " + row.join(" | ") + " |");
console.log(`\nmachine: ${machine()}`);
console.log(`receiver: ${receiverLabel}`);
