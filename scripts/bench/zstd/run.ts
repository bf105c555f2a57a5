/**
 * zstd benchmark for logtap capture files.
 *
 *   node_modules/.bin/bun scripts/bench/zstd/run.ts [--mb 50] [--runs 7] [--seed 1] [--frame-kib 1024]
 *
 * Every contender works on the same generated JSONL in one process, so the figures are comparable with each
 * other even on a noisy VM; absolute numbers are not. Tables are printed as Markdown on stdout, progress on stderr.
 * Throughput is MB/s (10^6 bytes) of *uncompressed* data for both directions, best of --runs after one untimed
 * warm-up run (the warm-up also checks the output, so a fast-but-wrong contender cannot win).
 */

import os from "node:os";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as bokuweb from "@bokuweb/zstd-wasm";
import * as fzstd from "fzstd";
import { Decompressor as ZstdWasmDecompressor } from "zstd-wasm";
import { mulberry32 } from "../shared/prng.ts";

// ---------------------------------------------------------------------------------------------------------------
// Arguments

interface Options {
  mb: number;
  runs: number;
  seed: number;
  frameKiB: number;
}

function usage(): never {
  console.error("usage: bun scripts/bench/zstd/run.ts [--mb 50] [--runs 7] [--seed 1] [--frame-kib 1024]");
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { mb: 50, runs: 7, seed: 1, frameKiB: 1024 };
  const keys: Record<string, keyof Options> = { "--mb": "mb", "--runs": "runs", "--seed": "seed", "--frame-kib": "frameKiB" };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    if (flag === "-h" || flag === "--help") usage();
    const key = keys[flag];
    if (key === undefined) {
      console.error(`unknown argument: ${argv[i]}`);
      usage();
    }
    const raw = inline ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || !Number.isFinite(n) || n <= 0) {
      console.error(`${flag} needs a positive number`);
      usage();
    }
    o[key] = n;
  }
  o.runs = Math.max(1, Math.floor(o.runs));
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const FRAME_BYTES = Math.floor(opts.frameKiB * 1024);
const CONCURRENCY = 8;

function progress(msg: string): void {
  process.stderr.write(`[zstd-bench] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic log data

type Style = "logfmt" | "pino" | "nginx" | "spring" | "python" | "coredns";

interface Service {
  app: string;
  namespace: string;
  style: Style;
  replicas: number;
  weight: number;
}

const SERVICES: Service[] = [
  { app: "frontend", namespace: "prod", style: "nginx", replicas: 4, weight: 20 },
  { app: "checkout", namespace: "prod", style: "logfmt", replicas: 4, weight: 16 },
  { app: "cart", namespace: "prod", style: "logfmt", replicas: 3, weight: 10 },
  { app: "search", namespace: "prod", style: "pino", replicas: 5, weight: 14 },
  { app: "auth", namespace: "prod", style: "pino", replicas: 2, weight: 7 },
  { app: "payments", namespace: "prod", style: "spring", replicas: 3, weight: 10 },
  { app: "inventory-worker", namespace: "prod", style: "python", replicas: 2, weight: 8 },
  { app: "checkout", namespace: "staging", style: "logfmt", replicas: 1, weight: 4 },
  { app: "search", namespace: "staging", style: "pino", replicas: 1, weight: 3 },
  { app: "coredns", namespace: "kube-system", style: "coredns", replicas: 2, weight: 8 },
];

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "kube-probe/1.31",
  "Go-http-client/1.1",
  "curl/8.5.0",
];
const STATIC = ["/static/js/main.3f2a9c1e.js", "/static/css/app.8b1d44.css", "/static/img/logo.svg", "/favicon.ico", "/static/js/vendor.a91c02.js"];
const API_PATHS = ["/api/v1/items/{id}", "/api/v1/cart/{id}", "/api/v1/orders/{id}", "/api/v1/users/{id}/profile", "/api/v1/checkout", "/api/v1/search?q={q}", "/healthz", "/metrics"];
const QUERIES = ["red shoes", "usb-c cable", "coffee grinder", "winter jacket", "laptop stand", "yoga mat", "headphones", "desk lamp"];
const ERRORS = [
  "dial tcp 10.96.14.7:8080: connect: connection refused",
  "context deadline exceeded",
  "rpc error: code = Unavailable desc = connection error",
  "pq: duplicate key value violates unique constraint \"orders_pkey\"",
  "redis: connection pool timeout",
  "EOF",
];
const JAVA_FRAMES = [
  "com.example.payments.service.PaymentService.charge(PaymentService.java:142)",
  "com.example.payments.gateway.StripeGateway.authorize(StripeGateway.java:88)",
  "com.example.payments.web.PaymentController.pay(PaymentController.java:61)",
  "jdk.internal.reflect.GeneratedMethodAccessor212.invoke(Unknown Source)",
  "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
  "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
  "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
  "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:195)",
  "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1791)",
  "java.base/java.lang.Thread.run(Thread.java:1583)",
];
const PY_FRAMES = [
  ['/app/worker/main.py", line 211, in run', "self.handle(job)"],
  ['/app/worker/tasks.py", line 88, in handle', "result = handler(job.payload)"],
  ['/app/worker/restock.py", line 47, in restock', "sku = payload[\"sku\"]"],
  ['/usr/local/lib/python3.12/site-packages/psycopg/cursor.py", line 732, in execute', "raise ex.with_traceback(None)"],
];
const RS_CHARS = "bcdfghjklmnpqrstvwxz2456789";
const HEX = "0123456789abcdef";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function generateJsonl(targetBytes: number, seed: number): { data: Uint8Array; lines: number } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  // Real traffic is skewed: a few hot items/users dominate, which is what gives logs their repetitiveness.
  const hot = (n: number) => Math.floor(n * rnd() ** 3);
  const hex = (n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += HEX[int(16)];
    return s;
  };
  const rs = (n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += RS_CHARS[int(RS_CHARS.length)];
    return s;
  };

  interface Pod {
    svc: Service;
    name: string;
    prefix: string;
    pending: string[];
    ip: string;
  }
  const pods: Pod[] = [];
  const weighted: Pod[] = [];
  for (const svc of SERVICES) {
    const rsHash = rs(9 + int(2));
    for (let r = 0; r < svc.replicas; r++) {
      const name = `${svc.app}-${rsHash}-${rs(5)}`;
      const pod: Pod = {
        svc,
        name,
        // Labels are constant per pod; building the JSON once mirrors logtap's per-stream label cache.
        prefix: `","labels":{"app":${JSON.stringify(svc.app)},"namespace":${JSON.stringify(svc.namespace)},"pod":${JSON.stringify(name)}},"msg":`,
        pending: [],
        ip: `10.244.${int(8)}.${2 + int(250)}`,
      };
      pods.push(pod);
      for (let w = 0; w < Math.ceil(svc.weight / svc.replicas); w++) weighted.push(pod);
    }
  }

  const apiPath = () =>
    pick(API_PATHS)
      .replace("{id}", String(hot(20000)))
      .replace("{q}", encodeURIComponent(pick(QUERIES)).replace(/%20/g, "+"));
  const method = () => {
    const r = rnd();
    return r < 0.7 ? "GET" : r < 0.9 ? "POST" : r < 0.95 ? "PUT" : "DELETE";
  };
  const level = () => {
    const r = rnd();
    return r < 0.08 ? "debug" : r < 0.85 ? "info" : r < 0.95 ? "warn" : "error";
  };

  let sec = Date.UTC(2026, 10, 23, 10, 0, 0) / 1000;
  let nsec = 0;
  let secPrefix = "";
  let secOf = -1;
  const nginxTime = () => {
    const d = new Date(sec * 1000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  };
  const springTime = () => `${secPrefix.replace("T", " ")}.${String(Math.floor(nsec / 1e6)).padStart(3, "0")}`;

  function message(pod: Pod): string {
    const lvl = level();
    const trace = `trace_id=${hex(32)} span_id=${hex(16)}`;
    switch (pod.svc.style) {
      case "logfmt": {
        if (lvl === "debug") return `level=debug msg="cache lookup" key=item:${hot(20000)} hit=${rnd() < 0.8} ttl=300s ${trace}`;
        if (lvl === "warn") return `level=warn msg="slow upstream" upstream=inventory.prod.svc:8080 duration=${800 + int(4000)}ms attempt=${1 + int(3)} ${trace}`;
        if (lvl === "error") {
          const line = `level=error msg="request failed" method=${method()} path=${apiPath()} status=${pick([500, 502, 503, 504])} error=${JSON.stringify(pick(ERRORS))} ${trace}`;
          if (rnd() < 0.1) {
            // A Go panic arrives as one entry per line of the goroutine dump.
            const g = 1000 + int(90000);
            pod.pending.push(
              `panic: runtime error: invalid memory address or nil pointer dereference`,
              `[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x${hex(7)}]`,
              ``,
              `goroutine ${g} [running]:`,
              `github.com/example/${pod.svc.app}/internal/handler.(*Handler).ServeHTTP(0xc000${hex(6)}, {0x1a2b3c0, 0xc000${hex(6)}}, 0xc000${hex(6)})`,
              `\t/app/internal/handler/handler.go:${100 + int(200)} +0x${hex(3)}`,
              `net/http.serverHandler.ServeHTTP({0xc000${hex(6)}}, {0x1a2b3c0, 0xc000${hex(6)}}, 0xc000${hex(6)})`,
              `\t/usr/local/go/src/net/http/server.go:3210 +0x8e`,
              `net/http.(*conn).serve(0xc000${hex(6)}, {0x1a2d8e8, 0xc000${hex(6)}})`,
              `\t/usr/local/go/src/net/http/server.go:2092 +0x5d0`,
            );
          }
          return line;
        }
        const status = rnd() < 0.93 ? 200 : pick([201, 204, 304, 400, 404]);
        return `level=info msg="request handled" method=${method()} path=${apiPath()} status=${status} duration=${1 + hot(400)}ms bytes=${int(60000)} ${trace}`;
      }
      case "pino": {
        const lv = { debug: 20, info: 30, warn: 40, error: 50 }[lvl];
        const base = `{"level":${lv},"time":${sec * 1000 + Math.floor(nsec / 1e6)},"pid":1,"hostname":${JSON.stringify(pod.name)},"reqId":"req-${hex(6)}"`;
        if (lvl === "error") {
          return `${base},"err":{"type":"Error","message":"read ECONNRESET","stack":"Error: read ECONNRESET\\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:216:20)\\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)","code":"ECONNRESET"},"msg":"upstream search index request failed"}`;
        }
        if (lvl === "warn") return `${base},"query":${JSON.stringify(pick(QUERIES))},"took":${300 + int(3000)},"msg":"slow query"}`;
        return `${base},"req":{"method":"${method()}","url":${JSON.stringify(apiPath())}},"res":{"statusCode":200},"responseTime":${1 + hot(200)},"results":${int(500)},"msg":"request completed"}`;
      }
      case "nginx": {
        const r = rnd();
        const status = r < 0.86 ? 200 : r < 0.93 ? 304 : r < 0.97 ? 404 : r < 0.99 ? 499 : 502;
        const path = rnd() < 0.55 ? pick(STATIC) : apiPath();
        return `10.${int(4)}.${int(256)}.${int(256)} - - [${nginxTime()}] "${method()} ${path} HTTP/1.1" ${status} ${int(80000)} "https://shop.example.com/" "${pick(USER_AGENTS)}" ${(hot(2000) / 1000).toFixed(3)} ${hex(32)}`;
      }
      case "spring": {
        const thread = `[nio-8080-exec-${1 + int(10)}]`;
        if (lvl === "error") {
          const order = hot(90000);
          pod.pending.push(`com.example.payments.GatewayException: upstream timeout after 5000 ms (order ${order})`);
          const depth = 4 + int(JAVA_FRAMES.length - 3);
          for (let i = 0; i < depth; i++) pod.pending.push(`\tat ${JAVA_FRAMES[i]}`);
          if (rnd() < 0.5) {
            pod.pending.push(`Caused by: java.net.SocketTimeoutException: Read timed out`, `\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)`, `\t... ${20 + int(30)} common frames omitted`);
          }
          return `${springTime()} ERROR 1 --- ${thread} c.e.payments.service.PaymentService      : Charge failed for order ${order}`;
        }
        const LV = lvl.toUpperCase().padStart(5);
        return `${springTime()} ${LV} 1 --- ${thread} c.e.payments.web.PaymentController       : Payment authorized orderId=${hot(90000)} amount=${(int(50000) / 100).toFixed(2)} currency=${pick(["EUR", "USD", "GBP"])}`;
      }
      case "python": {
        if (lvl === "error") {
          pod.pending.push("Traceback (most recent call last):");
          for (const [where, code] of PY_FRAMES) pod.pending.push(`  File "${where}`, `    ${code}`);
          pod.pending.push(`KeyError: 'sku'`);
          return `ERROR:worker.tasks:job ${hot(100000)} failed, will retry (attempt ${1 + int(5)}/5)`;
        }
        return `${lvl.toUpperCase()}:worker.tasks:processed job id=${hot(100000)} queue=${pick(["restock", "reindex", "emails"])} duration=${(int(2000) / 1000).toFixed(3)}s`;
      }
      case "coredns": {
        const name = `${pick(SERVICES).app}.${pick(["prod", "staging"])}.svc.cluster.local.`;
        return `[INFO] ${pods[int(pods.length)]!.ip}:${1024 + int(60000)} - ${int(65536)} "${pick(["A", "AAAA"])} IN ${name} udp ${40 + int(30)} false 512" ${rnd() < 0.9 ? "NOERROR" : "NXDOMAIN"} qr,aa,rd ${80 + int(100)} 0.000${100 + int(900)}s`;
      }
    }
  }

  const buf = new Uint8Array(targetBytes);
  const enc = new TextEncoder();
  let off = 0;
  let lines = 0;
  let stacked: Pod | null = null;
  for (;;) {
    // Continuation lines of a stack trace come from the same pod a few microseconds apart, as they do from kubelet.
    let pod: Pod;
    let msg: string;
    if (stacked !== null && stacked.pending.length > 0) {
      pod = stacked;
      msg = pod.pending.shift()!;
      nsec += int(20_000);
    } else {
      pod = pick(weighted);
      msg = message(pod);
      stacked = pod.pending.length > 0 ? pod : null;
      nsec += int(2_000_000);
    }
    if (nsec >= 1e9) {
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
    if (secOf !== sec) {
      secOf = sec;
      secPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    const line = `{"ts":"${secPrefix}.${String(nsec).padStart(9, "0")}Z${pod.prefix}${JSON.stringify(msg)}}\n`;
    const r = enc.encodeInto(line, buf.subarray(off));
    if (r.read < line.length) break;
    off += r.written;
    lines++;
  }
  return { data: buf.subarray(0, off), lines };
}

/** Splits at line boundaries: a logtap frame always holds whole lines and never more than FRAME_BYTES. */
function splitFrames(data: Uint8Array, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + max, data.length);
    if (end < data.length) {
      const nl = data.lastIndexOf(10, end - 1);
      if (nl >= start) end = nl + 1;
    }
    out.push(data.subarray(start, end));
    start = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function totalLength(x: Uint8Array | Uint8Array[]): number {
  return Array.isArray(x) ? x.reduce((n, p) => n + p.length, 0) : x.length;
}

function errText(e: unknown): string {
  let s: string;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    s = `${e.message}${typeof code === "string" && !e.message.includes(code) ? ` (${code})` : ""}`;
  } else s = String(e);
  s = s.split("\n")[0]!.replace(/\|/g, "/").trim();
  return s.length > 70 ? s.slice(0, 67) + "..." : s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

type ByteTransform = { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
// tsconfig includes lib DOM, whose CompressionStream knows neither "zstd" nor Bun's `level` extension.
const zstdCompressStream = (level: number): ByteTransform =>
  new (CompressionStream as unknown as new (format: string, o: { level: number }) => ByteTransform)("zstd", { level });
const zstdDecompressStream = (): ByteTransform => new (DecompressionStream as unknown as new (format: string) => ByteTransform)("zstd");

/** Feeds `pieces` through a transform while reading concurrently, as a file reader/writer would; never deadlocks on backpressure. */
async function throughStream(ts: ByteTransform, pieces: Uint8Array[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = ts.readable.getReader();
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      out.push(value);
    }
  })();
  const writer = ts.writable.getWriter();
  try {
    for (const p of pieces) await writer.write(p);
    await writer.close();
  } catch (e) {
    // The readable side usually carries the real decoder error; prefer it.
    await reading;
    throw e;
  }
  await reading;
  return out;
}

async function spawnCollect(cmd: string[]): Promise<Uint8Array[]> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
  const out: Uint8Array[] = [];
  for await (const c of p.stdout) out.push(c);
  const code = await p.exited;
  if (code !== 0) {
    // zstd prefixes its message with the temp file path, which is noise in a table cell.
    const msg = (await new Response(p.stderr).text()).replace(/^.*?\.zst\s*:\s*/, "").trim();
    throw new Error(`zstd exit ${code}: ${msg}`);
  }
  return out;
}

// Per-thread CPU time is what tells "async" apart from "off the main thread": a promise-returning API can still
// do its work on the JS thread. Bun's JS thread is the process's main thread (tid == pid); its worker pool threads
// are named "Bun Pool N".
const CLK_TCK = (() => {
  const r = Bun.spawnSync(["getconf", "CLK_TCK"]);
  const n = Number(r.stdout.toString().trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();
interface ThreadTimes {
  name: string;
  ticks: number;
  cpu: number;
}
function threadTimes(): Map<string, ThreadTimes> | null {
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return null;
  }
  const m = new Map<string, ThreadTimes>();
  for (const tid of tids) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      m.set(tid, { name: st.slice(st.indexOf("(") + 1, st.lastIndexOf(")")), ticks: Number(f[11]) + Number(f[12]), cpu: Number(f[36]) });
    } catch {
      // The thread exited between listing and reading.
    }
  }
  return m;
}
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Probe {
  wallMs: number;
  mainCpuMs: number | null;
  procCpuMs: number;
  maxGapMs: number;
  /** "Bun Pool" threads that used CPU during the run, and the CPUs they were last on. */
  pool: string;
}

function poolSummary(before: Map<string, ThreadTimes> | null, after: Map<string, ThreadTimes> | null): string {
  if (before === null || after === null) return "n/a";
  const busy = [...after].filter(([tid, t]) => /pool/i.test(t.name) && t.ticks > (before.get(tid)?.ticks ?? 0)).map(([, t]) => t.cpu);
  return busy.length === 0 ? "0" : `${busy.length} (cpu ${[...new Set(busy)].sort().join("+")})`;
}

/** Runs fn while a 1 ms interval timer records how long the event loop went without running it. */
async function probed<T>(fn: () => T | Promise<T>): Promise<{ value: T; probe: Probe }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > maxGap) maxGap = now - last;
    last = now;
  }, 1);
  await Bun.sleep(3);
  maxGap = 0;
  last = performance.now();
  const th0 = threadTimes();
  const p0 = processCpuMs();
  const t0 = performance.now();
  const value = await fn();
  const t1 = performance.now();
  const th1 = threadTimes();
  const p1 = processCpuMs();
  // Let a timer that was starved by a synchronous block fire, so its gap is counted.
  await Bun.sleep(3);
  clearInterval(timer);
  const main = (m: Map<string, ThreadTimes> | null) => m?.get(String(process.pid))?.ticks;
  const m0 = main(th0);
  const m1 = main(th1);
  return {
    value,
    probe: {
      wallMs: t1 - t0,
      mainCpuMs: m0 === undefined || m1 === undefined ? null : ((m1 - m0) * 1000) / CLK_TCK,
      procCpuMs: p1 - p0,
      maxGapMs: maxGap,
      pool: poolSummary(th0, th1),
    },
  };
}

type Output = Uint8Array | Uint8Array[];

interface Result {
  ok: boolean;
  reason?: string;
  secs: number[];
  out?: Output;
  probes: Probe[];
}

/**
 * One untimed warm-up run whose output is checked, then `runs` timed runs. A thrown error becomes "fails: reason"
 * so that one library's limitation does not end the whole comparison.
 */
async function measure(label: string, fn: () => Output | Promise<Output>, check: (o: Output) => string | null, withProbe = false, keepOutput = true): Promise<Result> {
  progress(label);
  const r: Result = { ok: false, secs: [], probes: [] };
  try {
    const first = await fn();
    const bad = check(first);
    if (bad !== null) return { ...r, reason: bad };
    // Decoded outputs are 50 MiB each; keeping them all would push RSS to ~2 GB for nothing.
    if (keepOutput) r.out = first;
    for (let i = 0; i < opts.runs; i++) {
      Bun.gc(true);
      if (withProbe) {
        const { probe } = await probed(fn);
        r.secs.push(probe.wallMs / 1000);
        r.probes.push(probe);
      } else {
        const t0 = performance.now();
        await fn();
        r.secs.push((performance.now() - t0) / 1000);
      }
    }
    r.ok = true;
    return r;
  } catch (e) {
    return { ...r, reason: errText(e) };
  }
}

function mbps(bytes: number, r: Result): string {
  if (!r.ok) return `fails: ${r.reason}`;
  return (bytes / 1e6 / Math.min(...r.secs)).toFixed(0);
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(" | ") + " |";
  return [line(head), "|" + w.map((n, i) => (i === 0 ? "-".repeat(n + 2) : "-".repeat(n + 1) + ":")).join("|") + "|", ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Environment

function pkgVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(process.cwd(), "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

const zstdCliVersion = (() => {
  const r = Bun.spawnSync(["zstd", "--version"]);
  return r.success ? (r.stdout.toString().match(/v\d+\.\d+\.\d+/)?.[0] ?? "?") : "not found";
})();

const cpus = os.cpus();
console.log("# zstd for logtap capture files\n");
console.log("## Environment\n");
console.log(`- Bun ${Bun.version} (${Bun.revision.slice(0, 9)}), ${process.platform}/${process.arch}, kernel ${os.release()}`);
console.log(`- CPU: ${cpus[0]?.model ?? "?"}, ${cpus.length} logical cores (navigator.hardwareConcurrency ${navigator.hardwareConcurrency}), RAM ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
console.log(`- packages: @bokuweb/zstd-wasm ${pkgVersion("@bokuweb/zstd-wasm")}, fzstd ${pkgVersion("fzstd")}, zstd-wasm ${pkgVersion("zstd-wasm")}; zstd CLI ${zstdCliVersion}`);
console.log(`- options: --mb ${opts.mb} --runs ${opts.runs} --seed ${opts.seed} --frame-kib ${opts.frameKiB}`);

// ---------------------------------------------------------------------------------------------------------------
// Data

const tGen = performance.now();
const { data, lines } = generateJsonl(Math.floor(opts.mb * 2 ** 20), opts.seed);
const genMs = performance.now() - tGen;
const chunks = splitFrames(data, FRAME_BYTES);
const sha = new Bun.CryptoHasher("sha256").update(data).digest("hex");
const N = data.length;
console.log("\n## Data\n");
console.log(`- ${(N / 2 ** 20).toFixed(2)} MiB (${N} bytes), ${lines} JSONL lines, ${chunks.length} frames of <= ${opts.frameKiB} KiB at line boundaries; generated in ${genMs.toFixed(0)} ms`);
console.log(`- sha256 ${sha}`);
console.log("- sample lines:");
{
  const text = new TextDecoder().decode(data.subarray(0, 64 * 1024)).split("\n");
  const wanted = [text.find((l) => l.includes("level=info")), text.find((l) => l.includes("nio-8080") && l.includes("ERROR")), text.find((l) => l.includes("\\tat ")), text.find((l) => l.includes('\\"level\\":30'))];
  for (const l of wanted) if (l) console.log("  ```\n  " + (l.length > 300 ? l.slice(0, 297) + "..." : l) + "\n  ```");
}

// ---------------------------------------------------------------------------------------------------------------
// Compression

const checkCompressed = (o: Output): string | null => {
  try {
    return same(Bun.zstdDecompressSync(Array.isArray(o) ? concat(o) : o), data) ? null : "round trip differs from input";
  } catch (e) {
    return `round trip: ${errText(e)}`;
  }
};

await bokuweb.init();
// zstd-wasm keeps its C structs in typed-array views of the wasm heap taken *before* it mallocs more; when that
// malloc grows the heap the views detach, writes vanish and the decoder reads garbage. One failure therefore poisons
// the instance, so every measurement and edge case gets a fresh one to keep its result independent of the others.
const freshZstdWasm = () => new ZstdWasmDecompressor().init();

const tmp = mkdtempSync(join(os.tmpdir(), "logtap-zstd-bench-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const rawPath = join(tmp, "data.jsonl");
writeFileSync(rawPath, data);

async function inFlight<T, R>(items: T[], width: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i += width) {
    const batch = items.slice(i, i + width);
    const done = await Promise.all(batch.map(fn));
    for (let j = 0; j < done.length; j++) out[i + j] = done[j]!;
  }
  return out;
}

interface CompressRow {
  name: string;
  frames: "1 MiB" | "one";
  make: (level: number) => () => Output | Promise<Output>;
  probe?: boolean;
}

const frameLabel = `${opts.frameKiB >= 1024 ? `${opts.frameKiB / 1024} MiB` : `${opts.frameKiB} KiB`} frames`;
const compressRows: CompressRow[] = [
  { name: "Bun.zstdCompressSync", frames: "1 MiB", make: (level) => () => chunks.map((c) => Bun.zstdCompressSync(c, { level })) },
  { name: "Bun.zstdCompressSync", frames: "one", make: (level) => () => Bun.zstdCompressSync(data, { level }) },
  { name: "Bun.zstdCompress, await each", frames: "1 MiB", probe: true, make: (level) => async () => { const o: Uint8Array[] = []; for (const c of chunks) o.push(await Bun.zstdCompress(c, { level })); return o; } },
  { name: `Bun.zstdCompress, ${CONCURRENCY} in flight`, frames: "1 MiB", probe: true, make: (level) => () => inFlight(chunks, CONCURRENCY, (c) => Bun.zstdCompress(c, { level })) },
  { name: "Bun.zstdCompress", frames: "one", make: (level) => () => Bun.zstdCompress(data, { level }) },
  // A fresh stream per frame is how independent frames are made with the streams API (closing ends the frame).
  { name: 'CompressionStream("zstd")', frames: "1 MiB", probe: true, make: (level) => async () => { const o: Uint8Array[] = []; for (const c of chunks) o.push(...(await throughStream(zstdCompressStream(level), [c]))); return o; } },
  { name: 'CompressionStream("zstd"), 1 MiB writes', frames: "one", make: (level) => () => throughStream(zstdCompressStream(level), chunks) },
  { name: "@bokuweb/zstd-wasm compress", frames: "1 MiB", make: (level) => () => chunks.map((c) => bokuweb.compress(c, level)) },
  { name: "@bokuweb/zstd-wasm compress", frames: "one", make: (level) => () => bokuweb.compress(data, level) },
  { name: "zstd CLI `zstd -N -c file` (pipe)", frames: "one", make: (level) => () => spawnCollect(["zstd", `-${level}`, "-q", "-c", rawPath]) },
];

const LEVELS = [1, 3] as const;
const compressResults = new Map<string, Result>();
for (const row of compressRows) {
  for (const level of LEVELS) {
    compressResults.set(`${row.name}|${row.frames}|${level}`, await measure(`compress ${row.name} (${row.frames}) L${level}`, row.make(level), checkCompressed, row.probe));
  }
}

// The CLI to /dev/null isolates zstd's own speed from the cost of piping 50 MiB back into Bun.
const cliNull = new Map<number, Result>();
for (const level of LEVELS) {
  const path = join(tmp, `cli-${level}.zst`);
  const r = await measure(`zstd CLI -${level} -o file`, async () => {
    const p = Bun.spawn(["zstd", `-${level}`, "-q", "-f", "-o", path, rawPath]);
    if ((await p.exited) !== 0) throw new Error("zstd failed");
    return new Uint8Array(0);
  }, () => null);
  if (r.ok) r.out = readFileSync(path);
  cliNull.set(level, r);
}

/** CPU / wall of the median run: whether the pool actually used both cores, which the OS does not always allow. */
function parallelism(r: Result): string {
  if (!r.ok || r.probes.length === 0) return "";
  const mid = [...r.probes].sort((a, b) => a.wallMs - b.wallMs)[r.probes.length >> 1]!;
  return `CPU/wall ${(mid.procCpuMs / mid.wallMs).toFixed(2)}, Bun Pool threads busy ${mid.pool}`;
}

function ratioOf(r: Result | undefined): string {
  return r?.ok && r.out ? (N / totalLength(r.out)).toFixed(2) : "–";
}

// ---------------------------------------------------------------------------------------------------------------
// Decompression (of the multi-frame files logtap writes)

const multi = new Map<number, { file: Uint8Array; frames: Uint8Array[] }>();
for (const level of LEVELS) {
  const frames = compressResults.get(`Bun.zstdCompressSync|1 MiB|${level}`)!.out as Uint8Array[];
  const file = concat(frames);
  // Re-slice from the file so per-frame decoders get exactly what a reader using index.jsonl offsets would read.
  let off = 0;
  multi.set(level, { file, frames: frames.map((f) => file.subarray(off, (off += f.length))) });
  writeFileSync(join(tmp, `bun-multi-${level}.zst`), file);
}

const checkPlain = (o: Output): string | null => {
  const got = Array.isArray(o) ? concat(o) : o;
  return same(got, data) ? null : `output differs (${got.length} of ${N} bytes)`;
};

function pieces(file: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < file.length; i += size) out.push(file.subarray(i, i + size));
  return out;
}

function zstdWasmStream(zw: ZstdWasmDecompressor, file: Uint8Array): Uint8Array[] {
  // The generator yields views into the wasm heap that the next step overwrites, so they must be copied.
  const out: Uint8Array[] = [];
  for (const v of zw.stream(file)) out.push(v.slice());
  return out;
}

interface DecompressRow {
  name: string;
  how: string;
  make: (m: { file: Uint8Array; frames: Uint8Array[] }, level: number, zw: ZstdWasmDecompressor) => () => Output | Promise<Output>;
  probe?: boolean;
}

const decompressRows: DecompressRow[] = [
  { name: "Bun.zstdDecompressSync", how: "whole file", make: (m) => () => Bun.zstdDecompressSync(m.file) },
  { name: "Bun.zstdDecompressSync", how: "per frame (index offsets)", probe: true, make: (m) => () => m.frames.map((f) => Bun.zstdDecompressSync(f)) },
  { name: "Bun.zstdDecompress", how: "whole file", make: (m) => () => Bun.zstdDecompress(m.file) },
  { name: "Bun.zstdDecompress, await each", how: "per frame", probe: true, make: (m) => async () => { const o: Uint8Array[] = []; for (const f of m.frames) o.push(await Bun.zstdDecompress(f)); return o; } },
  { name: `Bun.zstdDecompress, ${CONCURRENCY} in flight`, how: "per frame", probe: true, make: (m) => () => inFlight(m.frames, CONCURRENCY, (f) => Bun.zstdDecompress(f)) },
  { name: 'DecompressionStream("zstd")', how: "whole file, 1 MiB reads", probe: true, make: (m) => () => throughStream(zstdDecompressStream(), pieces(m.file, 2 ** 20)) },
  { name: "fzstd decompress", how: "whole file", make: (m) => () => fzstd.decompress(m.file) },
  { name: "fzstd decompress", how: "per frame", make: (m) => () => m.frames.map((f) => fzstd.decompress(f)) },
  { name: "@bokuweb/zstd-wasm decompress", how: "whole file", make: (m) => () => bokuweb.decompress(m.file) },
  { name: "@bokuweb/zstd-wasm decompress", how: "per frame", make: (m) => () => m.frames.map((f) => bokuweb.decompress(f)) },
  { name: "zstd-wasm Decompressor.decompress", how: "whole file", make: (m, _l, zw) => () => zw.decompress(m.file) },
  { name: "zstd-wasm Decompressor.decompress", how: "per frame", make: (m, _l, zw) => () => m.frames.map((f) => zw.decompress(f)) },
  { name: "zstd-wasm Decompressor.stream", how: "whole file", make: (m, _l, zw) => () => zstdWasmStream(zw, m.file) },
  { name: "zstd CLI `zstd -dc file` (pipe)", how: "whole file", make: (_m, level) => () => spawnCollect(["zstd", "-dc", "-q", join(tmp, `bun-multi-${level}.zst`)]) },
  // Output unseen here (the pipe row above checks it); this row isolates zstd's own speed from the pipe into Bun.
  { name: "zstd CLI `zstd -d -o /dev/null`", how: "whole file", make: (_m, level) => async () => { const p = Bun.spawn(["zstd", "-d", "-q", "-f", "-o", "/dev/null", join(tmp, `bun-multi-${level}.zst`)]); if ((await p.exited) !== 0) throw new Error("zstd -d failed"); return data; } },
];

const decompressResults = new Map<string, Result>();
for (const row of decompressRows) {
  for (const level of LEVELS) {
    decompressResults.set(`${row.name}|${row.how}|${level}`, await measure(`decompress ${row.name} (${row.how}) L${level} file`, row.make(multi.get(level)!, level, await freshZstdWasm()), checkPlain, row.probe, false));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Off the main thread? Same work, sync vs async, with event-loop and main-thread CPU probes.

interface AsyncRow {
  name: string;
  fn: () => Output | Promise<Output>;
  check: (o: Output) => string | null;
  reuse?: Result;
}
const asyncLevel = 3;
const asyncRows: AsyncRow[] = [
  { name: "idle (Bun.sleep 100 ms): probe baseline", fn: async () => { await Bun.sleep(100); return data; }, check: () => null },
  { name: `Bun.zstdCompressSync L${asyncLevel}, all frames in one loop`, fn: () => chunks.map((c) => Bun.zstdCompressSync(c, { level: asyncLevel })), check: checkCompressed },
  { name: `Bun.zstdCompressSync L${asyncLevel}, yield between frames`, fn: async () => { const o: Uint8Array[] = []; for (const c of chunks) { o.push(Bun.zstdCompressSync(c, { level: asyncLevel })); await tick(); } return o; }, check: checkCompressed },
  { name: `Bun.zstdCompress L${asyncLevel}, await each`, fn: () => [], check: () => null, reuse: compressResults.get(`Bun.zstdCompress, await each|1 MiB|${asyncLevel}`) },
  { name: `Bun.zstdCompress L${asyncLevel}, ${CONCURRENCY} in flight`, fn: () => [], check: () => null, reuse: compressResults.get(`Bun.zstdCompress, ${CONCURRENCY} in flight|1 MiB|${asyncLevel}`) },
  { name: `Bun.zstdCompress L${asyncLevel}, all ${chunks.length} in flight`, fn: () => Promise.all(chunks.map((c) => Bun.zstdCompress(c, { level: asyncLevel }))), check: checkCompressed },
  { name: `CompressionStream L${asyncLevel}, stream per frame`, fn: () => [], check: () => null, reuse: compressResults.get(`CompressionStream("zstd")|1 MiB|${asyncLevel}`) },
  { name: `Bun.zstdDecompressSync, per frame in one loop`, fn: () => [], check: () => null, reuse: decompressResults.get(`Bun.zstdDecompressSync|per frame (index offsets)|${asyncLevel}`) },
  { name: `Bun.zstdDecompress, await each`, fn: () => [], check: () => null, reuse: decompressResults.get(`Bun.zstdDecompress, await each|per frame|${asyncLevel}`) },
  { name: `Bun.zstdDecompress, ${CONCURRENCY} in flight`, fn: () => [], check: () => null, reuse: decompressResults.get(`Bun.zstdDecompress, ${CONCURRENCY} in flight|per frame|${asyncLevel}`) },
  { name: `DecompressionStream, 1 MiB reads`, fn: () => [], check: () => null, reuse: decompressResults.get(`DecompressionStream("zstd")|whole file, 1 MiB reads|${asyncLevel}`) },
];
const asyncResults: [string, Result][] = [];
for (const row of asyncRows) {
  asyncResults.push([row.name, row.reuse ?? (await measure(`probe ${row.name}`, row.fn, row.check, true))]);
}

// ---------------------------------------------------------------------------------------------------------------
// Edge cases: which decoders handle what logtap (and other writers) produce

const small = splitFrames(data.subarray(0, Math.min(N, 3 * 2 ** 20 + 12345)), FRAME_BYTES);
const smallData = concat(small);
const oneFrame = Bun.zstdCompressSync(smallData, { level: 1 });
const multiFrame = concat(small.map((c) => Bun.zstdCompressSync(c, { level: 1 })));
const noSize = concat(await throughStream(zstdCompressStream(1), small));
const truncated = multiFrame.subarray(0, multiFrame.length - 1024);
const edgeInputs: [string, Uint8Array, boolean][] = [
  ["1 frame, content size", oneFrame, true],
  [`${small.length} frames (logtap file)`, multiFrame, true],
  ["1 frame, no content size (CompressionStream)", noSize, true],
  ["multi-frame truncated by 1 KiB", truncated, false],
];
const edgePath = join(tmp, "edge.zst");
const edgeDecoders: [string, (x: Uint8Array) => Output | Promise<Output>][] = [
  ["Bun.zstdDecompressSync", (x) => Bun.zstdDecompressSync(x)],
  ["Bun.zstdDecompress", (x) => Bun.zstdDecompress(x)],
  ['DecompressionStream("zstd")', (x) => throughStream(zstdDecompressStream(), pieces(x, 2 ** 20))],
  ["fzstd decompress", (x) => fzstd.decompress(x)],
  ["@bokuweb/zstd-wasm decompress", (x) => bokuweb.decompress(x)],
  ["zstd-wasm .decompress", async (x) => (await freshZstdWasm()).decompress(x)],
  ["zstd-wasm .stream", async (x) => zstdWasmStream(await freshZstdWasm(), x)],
  ["zstd CLI -dc", (x) => { writeFileSync(edgePath, x); return spawnCollect(["zstd", "-dc", "-q", edgePath]); }],
];
const edgeRows: string[][] = [];
for (const [name, dec] of edgeDecoders) {
  const cells = [name];
  for (const [, input, valid] of edgeInputs) {
    try {
      const o = await dec(input);
      const got = Array.isArray(o) ? concat(o) : o;
      if (valid) cells.push(same(got, smallData) ? "ok" : `WRONG: ${got.length} of ${smallData.length} bytes`);
      else cells.push(`**no error**, ${got.length} of ${smallData.length} bytes`);
    } catch (e) {
      cells.push(valid ? `fails: ${errText(e)}` : `error: ${errText(e)}`);
    }
  }
  edgeRows.push(cells);
}

// ---------------------------------------------------------------------------------------------------------------
// Correctness: the reference decoder must read Bun's multi-frame output byte-identically.

const verifyRows: string[][] = [];
const toVerify: [string, Output | undefined][] = [
  ["Bun.zstdCompressSync L1, 1 MiB frames", compressResults.get("Bun.zstdCompressSync|1 MiB|1")?.out],
  ["Bun.zstdCompressSync L3, 1 MiB frames", compressResults.get("Bun.zstdCompressSync|1 MiB|3")?.out],
  [`Bun.zstdCompress L3, ${CONCURRENCY} in flight`, compressResults.get(`Bun.zstdCompress, ${CONCURRENCY} in flight|1 MiB|3`)?.out],
  ["CompressionStream L1, stream per frame", compressResults.get('CompressionStream("zstd")|1 MiB|1')?.out],
  ["Bun.zstdCompressSync L3, one frame", compressResults.get("Bun.zstdCompressSync|one|3")?.out],
];
for (const [name, out] of toVerify) {
  if (!out) {
    verifyRows.push([name, "–", "not produced"]);
    continue;
  }
  const file = Array.isArray(out) ? concat(out) : out;
  const path = join(tmp, "verify.zst");
  writeFileSync(path, file);
  const list = Bun.spawnSync(["zstd", "-l", path]).stdout.toString().split("\n")[1]?.trim().split(/\s+/)[0] ?? "?";
  let verdict: string;
  try {
    const got = concat(await spawnCollect(["zstd", "-dc", "-q", path]));
    const hash = new Bun.CryptoHasher("sha256").update(got).digest("hex");
    verdict = hash === sha ? "byte-identical (sha256 matches)" : `DIFFERS (${got.length} bytes, sha256 ${hash.slice(0, 12)})`;
  } catch (e) {
    verdict = `zstd failed: ${errText(e)}`;
  }
  verifyRows.push([name, list, verdict]);
}

// ---------------------------------------------------------------------------------------------------------------
// Report

console.log(`\n## Compression (MB/s of uncompressed data, best of ${opts.runs}; ratio = uncompressed / compressed)\n`);
const cRows: string[][] = [];
for (const row of compressRows) {
  const cells = [row.name, row.frames === "1 MiB" ? frameLabel : "one frame"];
  for (const level of LEVELS) {
    const r = compressResults.get(`${row.name}|${row.frames}|${level}`)!;
    cells.push(mbps(N, r), r.ok ? ratioOf(r) : "–");
  }
  cRows.push(cells);
}
{
  const cells = ["zstd CLI `zstd -N -o file` (no pipe)", "one frame"];
  for (const level of LEVELS) cells.push(mbps(N, cliNull.get(level)!), ratioOf(cliNull.get(level)));
  cRows.push(cells);
}
cRows.push(["fzstd, zstd-wasm", "–", "decompress only", "–", "decompress only", "–"]);
console.log(table(["API", "frames", "L1 MB/s", "L1 ratio", "L3 MB/s", "L3 ratio"], cRows));
console.log("");
for (const row of compressRows.filter((r) => r.probe)) {
  for (const level of LEVELS) console.log(`- ${row.name} L${level}: ${parallelism(compressResults.get(`${row.name}|${row.frames}|${level}`)!)}`);
}

console.log(`\n## Decompression of the multi-frame file (${chunks.length} independent frames, as logtap writes), MB/s of output, best of ${opts.runs}\n`);
const dRows: string[][] = [];
for (const row of decompressRows) {
  const cells = [row.name, row.how];
  for (const level of LEVELS) cells.push(mbps(N, decompressResults.get(`${row.name}|${row.how}|${level}`)!));
  dRows.push(cells);
}
console.log(table(["API", "input", "L1 file MB/s", "L3 file MB/s"], dRows));
console.log("");
for (const row of decompressRows.filter((r) => r.probe)) {
  for (const level of LEVELS) console.log(`- ${row.name} (${row.how}) L${level} file: ${parallelism(decompressResults.get(`${row.name}|${row.how}|${level}`)!)}`);
}

console.log(`\n## Does async zstd leave the main thread free? (${(N / 2 ** 20).toFixed(0)} MiB, ${chunks.length} frames, median of ${opts.runs} runs; thread CPU from /proc/self/task)\n`);
const aRows: string[][] = [];
for (const [name, r] of asyncResults) {
  if (!r.ok || r.probes.length === 0) {
    aRows.push([name, r.ok ? "no probe" : `fails: ${r.reason}`, "", "", "", "", "", ""]);
    continue;
  }
  const wall = median(r.probes.map((p) => p.wallMs));
  const main = r.probes.every((p) => p.mainCpuMs !== null) ? median(r.probes.map((p) => p.mainCpuMs!)) : null;
  const proc = median(r.probes.map((p) => p.procCpuMs));
  const gap = median(r.probes.map((p) => p.maxGapMs));
  // Thread placement is a property of one run, so show the run whose wall time is the median.
  const mid = [...r.probes].sort((a, b) => a.wallMs - b.wallMs)[r.probes.length >> 1]!;
  const isIdle = name.startsWith("idle");
  aRows.push([
    name,
    isIdle ? "–" : (N / 1e6 / Math.min(...r.secs)).toFixed(0),
    wall.toFixed(0),
    main === null ? "n/a" : main.toFixed(0),
    proc.toFixed(0),
    isIdle ? "–" : (proc / wall).toFixed(2),
    mid.pool,
    gap.toFixed(1),
  ]);
}
console.log(table(["variant", "best MB/s", "wall ms", "main-thread CPU ms", "process CPU ms", "CPU / wall", "Bun Pool threads busy", "max event-loop gap ms"], aRows));
console.log(`\n(CPU times have ${(1000 / CLK_TCK).toFixed(0)} ms resolution; CPU / wall near 2 means two threads worked at once; a gap near 1 ms means timers kept firing.)`);

console.log(`\n## Edge cases (${(smallData.length / 2 ** 20).toFixed(1)} MiB sample; "ok" = byte-identical output)\n`);
console.log(table(["decoder", ...edgeInputs.map((e) => e[0])], edgeRows));

console.log("\n## Correctness: `zstd -dc` (reference decoder) on Bun's output\n");
console.log(table(["producer", "frames (zstd -l)", "zstd -dc result"], verifyRows));

const elapsed = (performance.now() - tGen) / 1000;
console.log(`\nTotal run time ${elapsed.toFixed(0)} s.`);
