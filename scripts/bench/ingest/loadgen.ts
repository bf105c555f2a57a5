/**
 * Load generator for the ingest benchmark (a separate process, so its CPU is visible and not the receiver's).
 * Pre-builds a pool of distinct ~1 MiB Loki pushes, prints `READY` and waits for a line on stdin, then POSTs them
 * over keep-alive HTTP with N concurrent requests for a fixed time, optionally paced to a target entries/s.
 * Prints one JSON result line on stdout.
 *
 * Run: node_modules/.bin/bun scripts/bench/ingest/loadgen.ts --url http://127.0.0.1:3100/loki/api/v1/push \
 *        --format proto|json [--seconds 20] [--connections 6] [--rate 0] [--pool 50] [--no-wait]
 */

import { parseArgs } from "node:util";
import { buildPool } from "./payloads.ts";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3100/loki/api/v1/push" },
    format: { type: "string", default: "proto" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "6" },
    rate: { type: "string", default: "0" },
    pool: { type: "string", default: "50" },
    "no-wait": { type: "boolean", default: false },
  },
});

const format = args.format === "json" ? "json" : "proto";
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const rate = Number(args.rate);
const pool = buildPool(Number(args.pool));
const bodies: BodyInit[] = pool.map((p) => (format === "json" ? p.json : p.protoSnappy) as BodyInit);
const headers = { "content-type": format === "json" ? "application/json" : "application/x-protobuf" };

export interface LoadgenResult {
  format: string;
  connections: number;
  targetRate: number;
  elapsedS: number;
  pushes: number;
  sentEntries: number;
  sentMsgBytes: number;
  sentBodyBytes: number;
  status204: number;
  non2xx: number;
  transportErrors: number;
  statuses: Record<string, number>;
  firstError: string | null;
  latencyMs: { p50: number; p99: number; max: number };
  /** Behind-schedule time at the end of a paced run (0 = kept up with the target rate). */
  lagMs: number;
  cpuS: number;
}

process.stdout.write("READY\n");
if (!args["no-wait"]) {
  // The runner says "go" once it has taken its before-load samples of the receiver.
  const reader = Bun.stdin.stream().getReader();
  let seen = "";
  while (!seen.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
}

const cpu0 = process.cpuUsage();
const started = performance.now();
const endAt = started + seconds * 1000;
const interval = rate > 0 ? (pool[0]!.entries / rate) * 1000 : 0;
let slot = 0;
let lagMs = 0;
const r: LoadgenResult = {
  format, connections, targetRate: rate, elapsedS: 0, pushes: 0, sentEntries: 0, sentMsgBytes: 0, sentBodyBytes: 0,
  status204: 0, non2xx: 0, transportErrors: 0, statuses: {}, firstError: null, latencyMs: { p50: 0, p99: 0, max: 0 }, lagMs: 0, cpuS: 0,
};
const latencies: number[] = [];

async function worker(): Promise<void> {
  for (;;) {
    const k = slot++;
    if (interval > 0) {
      const due = started + k * interval;
      // Fixed duration even when behind schedule: the run measures what the receiver takes in that time.
      if (due >= endAt || performance.now() >= endAt) return;
      const wait = due - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      else lagMs = -wait;
    } else if (performance.now() >= endAt) {
      return;
    }
    const i = k % pool.length;
    const t0 = performance.now();
    try {
      const res = await fetch(args.url!, { method: "POST", body: bodies[i]!, headers, keepalive: true });
      const text = res.status === 204 ? "" : await res.text();
      latencies.push(performance.now() - t0);
      r.statuses[res.status] = (r.statuses[res.status] ?? 0) + 1;
      if (res.status === 204) r.status204++;
      else if (res.status < 200 || res.status > 299) {
        r.non2xx++;
        r.firstError ??= `${res.status} ${text.trim().slice(0, 200)}`;
      }
      r.pushes++;
      r.sentEntries += pool[i]!.entries;
      r.sentMsgBytes += pool[i]!.msgBytes;
      r.sentBodyBytes += (format === "json" ? pool[i]!.json : pool[i]!.protoSnappy).length;
    } catch (e) {
      r.transportErrors++;
      r.firstError ??= `transport: ${(e as Error).message}`;
      await Bun.sleep(10);
    }
  }
}

await Promise.all(Array.from({ length: connections }, () => worker()));
r.elapsedS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
r.cpuS = (cpu.user + cpu.system) / 1e6;
r.lagMs = Math.round(lagMs);
latencies.sort((a, b) => a - b);
const q = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10 : 0);
r.latencyMs = { p50: q(0.5), p99: q(0.99), max: q(1) };
process.stdout.write(JSON.stringify(r) + "\n");
process.exit(0);
