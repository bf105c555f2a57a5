/**
 * Follow benchmark: `logtap recv --follow` against `kubectl logs -f -l <selector> --prefix --max-log-requests <N>`
 * on the same pods of the stand-in cluster, one after the other in one run: how many containers each follows at
 * once and how soon, the lines per second each takes in, and the peak RSS of each. The stand-in runs in its own
 * process (scripts/bench/follow/stand-in.ts) and is measured too: on two cores it is the likely bottleneck.
 *
 * Run: node_modules/.bin/bun scripts/bench/follow/run.ts [--containers 500] [--rate 20] [--seconds 30]
 *        [--warmup-max 150] [--binary dist/logtap] [--kubectl PATH] [--only logtap,kubectl] [--rounds 1]
 *
 * Pods have two containers each (containers/2 pods of one Deployment); each container prints `--rate` lines of
 * ~120 bytes per second for as long as the run lasts. A tool's window starts once it follows every container (or
 * after --warmup-max seconds) and lasts --seconds. kubectl is pinned to kubectl.1.32 beside the real path of the
 * `kubectl` on PATH (Google Cloud SDK's dispatcher), with its own --cache-dir. See docs/benchmarks.md, Follow.
 */

import { cpus, release, totalmem, tmpdir } from "node:os";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { connectCluster } from "../../../src/kube/connect.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const BUN = process.execPath;

const { values: args } = parseArgs({
  options: {
    containers: { type: "string", default: "500" },
    rate: { type: "string", default: "20" },
    seconds: { type: "string", default: "30" },
    "warmup-max": { type: "string", default: "150" },
    binary: { type: "string" },
    kubectl: { type: "string" },
    only: { type: "string", default: "logtap,kubectl" },
    rounds: { type: "string", default: "1" },
  },
});
const CONTAINERS = Number(args.containers);
const PODS = Math.ceil(CONTAINERS / 2);
const RATE = Number(args.rate);
const WINDOW_S = Number(args.seconds);
const WARMUP_MAX_S = Number(args["warmup-max"]);
const binary = resolve(ROOT, args.binary ?? "dist/logtap");
const logtapCmd = existsSync(binary) ? [binary] : [BUN, join(ROOT, "src/cli/main.ts")];
const kubectl = args.kubectl ?? join(dirname(realpathSync(Bun.which("kubectl") ?? "kubectl")), "kubectl.1.32");
const only = new Set(args.only!.split(","));

// ——— /proc sampling ———

function procStatus(pid: number): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** CPU seconds (user + system) a process has used, its children waited for included. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used by every process on the machine (from /proc/stat), to tell how busy it was. */
function machineCpuSeconds(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]!) / 100;
}

function machine(): string {
  const cpu = cpus()[0]?.model?.trim() || "unknown";
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Bun ${Bun.version}`;
}

// ——— the cluster ———

let standInStderrLines = 0;

async function startCluster(dir: string) {
  const kubeconfig = join(dir, "kubeconfig");
  const proc = Bun.spawn([BUN, join(import.meta.dir, "stand-in.ts"), kubeconfig], { stdout: "pipe", stderr: "pipe" });
  // Its stderr only says how overloaded it is (Node's listener warnings under backpressure): counted, not shown.
  void (async () => {
    for await (const chunk of proc.stderr) standInStderrLines += new TextDecoder().decode(chunk).split("\n").length - 1;
  })();
  const reader = proc.stdout.getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stand-in exited before it was ready");
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const cluster = connectCluster({ kubeconfig, timeoutMs: 30_000, env: {} });
  const script = { template: `{pod} {container} request {n}: GET /api/v1/orders/{n} 200 OK in 12 ms user=bench-user trace=0123456789abcdef`, rate: RATE };
  const annotations = { "stand-in.logtap.dev/logs.app": JSON.stringify(script), "stand-in.logtap.dev/logs.proxy": JSON.stringify(script) };
  await cluster.request({
    method: "POST",
    path: "/apis/apps/v1/namespaces/bench/deployments",
    body: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "bench" },
      spec: {
        replicas: PODS,
        selector: { matchLabels: { app: "bench" } },
        template: { metadata: { labels: { app: "bench" }, annotations }, spec: { containers: [{ name: "app", image: "registry.example/app:1" }, { name: "proxy", image: "registry.example/proxy:1" }] } },
      },
    },
  });
  for (;;) {
    const list = await cluster.request<{ items: { status?: { containerStatuses?: { state?: { running?: unknown } }[] } }[] }>({ path: "/api/v1/namespaces/bench/pods" });
    const running = list.items.flatMap((p) => p.status?.containerStatuses ?? []).filter((s) => s.state?.running).length;
    if (running >= PODS * 2) break;
    await Bun.sleep(500);
  }
  // Followed as an existing workload is: its containers older than the 10 s within which a follower checks that a
  // new instance was not replaced before its first stream (a `get pod` each; a scale-up pays that).
  await Bun.sleep(12_000);
  return { kubeconfig, pid: proc.pid, stop: () => (proc.kill("SIGTERM"), proc.exited) };
}

// ——— one tool's run ———

interface ToolRun {
  tool: string;
  /** Seconds from start until every container was followed, or null if never within the warm-up. */
  allFollowedAfterS: number | null;
  followedAtEnd: number;
  linesPerS: number;
  peakRssMB: number;
  cpuPct: number;
  standInCpuPct: number;
  machineCpuPct: number;
}

interface Probe {
  /** Containers followed now. */
  followed(): Promise<number>;
  /** Lines taken in so far. */
  lines(): Promise<number>;
}

async function measure(tool: string, proc: Bun.Subprocess, probe: Probe, standInPid: number): Promise<ToolRun> {
  const start = performance.now();
  let allAt: number | null = null;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(proc.pid).rss)), 200);
  while ((performance.now() - start) / 1000 < WARMUP_MAX_S) {
    if ((await probe.followed().catch(() => 0)) >= CONTAINERS) {
      allAt = (performance.now() - start) / 1000;
      break;
    }
    await Bun.sleep(250);
  }
  const t0 = performance.now();
  const [l0, c0, s0, m0] = [await probe.lines(), cpuSeconds(proc.pid), cpuSeconds(standInPid), machineCpuSeconds()];
  await Bun.sleep(WINDOW_S * 1000);
  const wall = (performance.now() - t0) / 1000;
  const [l1, c1, s1, m1] = [await probe.lines(), cpuSeconds(proc.pid), cpuSeconds(standInPid), machineCpuSeconds()];
  const followedAtEnd = await probe.followed();
  clearInterval(sampler);
  const hwm = procStatus(proc.pid).hwm;
  proc.kill("SIGTERM");
  await proc.exited;
  return {
    tool,
    allFollowedAfterS: allAt,
    followedAtEnd,
    linesPerS: (l1 - l0) / wall,
    peakRssMB: Math.max(peak, hwm) / 2 ** 20,
    cpuPct: ((c1 - c0) / wall) * 100,
    standInCpuPct: ((s1 - s0) / wall) * 100,
    machineCpuPct: ((m1 - m0) / wall / cpus().length) * 100,
  };
}

async function runLogtap(kubeconfig: string, standInPid: number, dir: string): Promise<ToolRun> {
  const proc = Bun.spawn(
    [...logtapCmd, "recv", "--headless", "--listen", "127.0.0.1:0", "--dir", join(dir, "capture"), "--follow", "deployment/bench", "-n", "bench", "--kubeconfig", kubeconfig, "--stats-interval", "0", "--max-streams", String(CONTAINERS)],
    { stdout: "ignore", stderr: "pipe", env: { ...process.env, HOME: dir, KUBECONFIG: "" } },
  );
  let err = "";
  void (async () => {
    for await (const chunk of proc.stderr) err += new TextDecoder().decode(chunk);
  })();
  while (!/listening on (\S+),/.test(err)) {
    if (proc.exitCode !== null) throw new Error(`logtap recv exited: ${err}`);
    await Bun.sleep(50);
  }
  const url = `http://${/listening on (\S+),/.exec(err)![1]}/metrics`;
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(await (await fetch(url)).text())?.[1] ?? 0);
  const run = await measure("logtap recv --follow", proc, { followed: () => metric("logtap_follow_streams_active"), lines: () => metric("logtap_follow_lines_total") }, standInPid);
  const warnings = err.split("\n").filter((l) => l.startsWith("warning:"));
  if (warnings.length) console.error(`logtap warnings (${warnings.length}), first: ${warnings[0]}`);
  return run;
}

async function runKubectl(kubeconfig: string, standInPid: number, dir: string): Promise<ToolRun> {
  const proc = Bun.spawn(
    [kubectl, "logs", "-f", "-l", "app=bench", "-n", "bench", "--all-containers", "--prefix", "--max-log-requests", String(CONTAINERS), "--kubeconfig", kubeconfig, "--cache-dir", join(dir, "kubectl-cache")],
    { stdout: "pipe", stderr: "pipe" },
  );
  let lines = 0;
  const prefixes = new Set<string>();
  let rest = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      const text = rest + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        lines++;
        // `[pod/<name>/<container>] <line>`
        const end = text.indexOf("] ", start);
        if (end > start && end < nl) prefixes.add(text.slice(start, end));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  })();
  let err = "";
  void (async () => {
    for await (const chunk of proc.stderr) err += new TextDecoder().decode(chunk);
  })();
  const run = await measure(`kubectl logs -f --max-log-requests ${CONTAINERS}`, proc, { followed: async () => prefixes.size, lines: async () => lines }, standInPid);
  if (err.trim()) console.error(`kubectl stderr: ${err.trim().split("\n").slice(0, 3).join(" | ")}`);
  return run;
}

// ——— main ———

const dir = mkdtempSync(join(tmpdir(), "logtap-bench-follow-"));
console.log(`machine: ${machine()}`);
console.log(`logtap: ${logtapCmd.join(" ")}; kubectl: ${kubectl}`);
console.log(`${CONTAINERS} containers (${PODS} pods × 2), ${RATE} lines/s each = ${CONTAINERS * RATE} lines/s offered; window ${WINDOW_S} s after all are followed (warm-up at most ${WARMUP_MAX_S} s)`);
const cluster = await startCluster(dir);
const results: ToolRun[] = [];
try {
  for (let round = 0; round < Number(args.rounds); round++) {
    if (only.has("logtap")) results.push(await runLogtap(cluster.kubeconfig, cluster.pid, mkdtempSync(join(dir, "logtap-"))));
    if (only.has("kubectl")) results.push(await runKubectl(cluster.kubeconfig, cluster.pid, mkdtempSync(join(dir, "kubectl-"))));
  }
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log("\n| tool | all followed after | followed at end | lines/s | peak RSS | tool CPU | stand-in CPU | machine busy |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of results) {
  const all = r.allFollowedAfterS === null ? `not within ${WARMUP_MAX_S} s` : `${r.allFollowedAfterS.toFixed(1)} s`;
  console.log(`| ${r.tool} | ${all} | ${r.followedAtEnd} | ${Math.round(r.linesPerS).toLocaleString("en")} | ${r.peakRssMB.toFixed(0)} MB | ${r.cpuPct.toFixed(0)} % | ${r.standInCpuPct.toFixed(0)} % | ${r.machineCpuPct.toFixed(0)} % |`);
}
if (standInStderrLines > 0) console.log(`\nthe stand-in wrote ${standInStderrLines} lines on stderr (overload warnings)`);
