/**
 * Deterministic pool of realistic Loki pushes for the ingest benchmark, shared by the load generator and the
 * in-process floor so both work on byte-identical payloads.
 *
 * Each push: ~5,000 entries in 10 streams (labels app/namespace/pod/container/level), ~150–250-byte lines mixing
 * nginx access logs, JSON app logs, logfmt lines and multi-line errors with stack-ish text; PII (client IPs,
 * emails, bearer tokens, JWTs, phone numbers, the odd card number) so `--redact` has work to do; 1 entry in 10
 * carries structured metadata (trace_id), as Alloy pipelines that extract it send. ~1 MiB of message text per push.
 */

import { create, toBinary } from "@bufbuild/protobuf";
import snappy from "snappyjs";
import { PushRequestSchema } from "../../../src/protocols/loki/gen/push_pb.ts";
import { mulberry32 as rng } from "../shared/prng.ts";

export const ENTRIES_PER_PUSH = 5_000;
export const STREAMS_PER_PUSH = 10;

export interface Payload {
  entries: number;
  /** UTF-8 bytes of the log lines alone (what "MB/s of log text" counts). */
  msgBytes: number;
  /** protobuf PushRequest, before snappy. */
  protoRaw: Uint8Array;
  /** snappy-block-compressed protobuf: the body a Promtail/Alloy client sends. */
  protoSnappy: Uint8Array;
  /** Loki v1 JSON push body. */
  json: Uint8Array;
}

const APPS = ["frontend", "gateway", "checkout", "payments", "orders", "auth", "inventory", "search", "shipping", "notifications"];
const NAMESPACES = ["prod", "prod", "prod", "staging"];
const FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter"];
const LAST = ["smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "moore", "taylor", "lee", "walker", "young"];
const DOMAINS = ["example.com", "corp.example.org", "mail.example.net", "shop.example.io"];
const PATHS = ["/api/v1/items", "/api/v1/cart", "/api/v2/orders", "/api/v1/users", "/static/js/app", "/healthz", "/api/v1/search", "/checkout/confirm", "/api/v1/session"];
const METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"];
const STATUSES = [200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 502, 503];
const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
  "curl/8.5.0",
  "okhttp/4.12.0",
  "Go-http-client/1.1",
  "kube-probe/1.29",
];
const MSGS = ["order created", "payment authorised", "cache miss", "user logged in", "session refreshed", "item reserved", "query executed", "token validated", "retrying upstream call", "message published"];
const CALLERS = ["handler.go", "service.go", "repo.go", "client.go", "worker.go", "middleware.go"];
const EXCEPTIONS = [
  ["java.lang.NullPointerException", 'Cannot invoke "String.length()" because "name" is null'],
  ["java.sql.SQLTransientConnectionException", "HikariPool-1 - Connection is not available, request timed out after 30000ms"],
  ["io.grpc.StatusRuntimeException", "UNAVAILABLE: upstream connect error or disconnect/reset before headers"],
  ["TypeError", "Cannot read properties of undefined (reading 'id')"],
  ["ValueError", "invalid literal for int() with base 10: 'abc'"],
];
const FRAMES = ["com.example.shop.OrderService.create", "com.example.shop.CartController.checkout", "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead", "org.springframework.web.servlet.FrameworkServlet.service", "at processTicksAndRejections (node:internal/process/task_queues:95:5)"];
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november"];

type Kind = "access" | "json" | "logfmt" | "error";

class Gen {
  constructor(private readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(16)];
    return s;
  }
  b64(n: number): string {
    const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let s = "";
    for (let i = 0; i < n; i++) s += A[this.int(64)];
    return s;
  }
  ip(): string {
    return `${10 + this.int(180)}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
  email(): string {
    return `${this.pick(FIRST)}.${this.pick(LAST)}${this.int(100)}@${this.pick(DOMAINS)}`;
  }
  phone(): string {
    return `+1-${200 + this.int(800)}-${100 + this.int(900)}-${1000 + this.int(9000)}`;
  }
  jwt(): string {
    return `eyJhbGciOiJIUzI1NiJ9.eyJ${this.b64(40)}.${this.b64(22)}`;
  }
  card(): string {
    // Luhn-valid test numbers, as a payment log might leak them.
    return this.pick(["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "4012888888881881"]);
  }
  /** Extra words until `s` reaches `target` characters (the filler is what real loggers add: ids, durations, tags). */
  fill(s: string, target: number, sep: (k: string, v: string) => string): string {
    while (s.length < target) s += sep(this.pick(WORDS), this.pick(WORDS) + "-" + this.int(10000));
    return s;
  }
}

function logLine(g: Gen, kind: Kind, app: string, tsMs: number, target: number): string {
  const iso = new Date(tsMs).toISOString();
  switch (kind) {
    case "access": {
      const path = `${g.pick(PATHS)}/${g.int(100000)}${g.int(4) === 0 ? `?email=${g.email()}` : ""}`;
      const line =
        `${g.ip()} - - [${iso}] "${g.pick(METHODS)} ${path} HTTP/1.1" ${g.pick(STATUSES)} ${g.int(50000)} ` +
        `"-" "${g.pick(AGENTS)}" rt=${(g.int(2000) / 1000).toFixed(3)} upstream=${app}:8080`;
      return g.fill(line, target, (k, v) => ` ${k}=${v}`);
    }
    case "json": {
      let body =
        `{"level":"${g.int(10) === 0 ? "warn" : "info"}","ts":"${iso}","caller":"${g.pick(CALLERS)}:${g.int(400)}",` +
        `"msg":"${g.pick(MSGS)}",${g.int(2) === 0 ? `"trace_id":"${g.hex(32)}",` : ""}"user":"${g.email()}","duration_ms":${g.int(900)}`;
      const pii = g.int(12);
      if (pii === 0) body += `,"auth":"Bearer ${g.b64(32)}"`;
      else if (pii === 1) body += `,"phone":"${g.phone()}"`;
      else if (pii === 2) body += `,"client_ip":"${g.ip()}"`;
      body = g.fill(body, target - 1, (k, v) => `,"${k}":"${v}"`);
      return body + "}";
    }
    case "logfmt": {
      let line =
        `ts=${iso} level=info caller=${g.pick(CALLERS)}:${g.int(400)} msg="${g.pick(MSGS)}" ` +
        `order_id=${g.int(1e9)} amount=${(g.int(100000) / 100).toFixed(2)} ts_ms=${tsMs}`;
      const pii = g.int(10);
      if (pii === 0) line += ` token=${g.jwt()}`;
      else if (pii === 1) line += ` card="${g.card()}"`;
      else if (pii === 2) line += ` remote=${g.ip()}:${1024 + g.int(60000)}`;
      return g.fill(line, target, (k, v) => ` ${k}=${v}`);
    }
    case "error": {
      const [ex, why] = g.pick(EXCEPTIONS);
      let line = `${iso} ERROR [${app}] request failed for ${g.email()} from ${g.ip()}: ${ex}: ${why}`;
      const depth = 1 + g.int(2);
      for (let i = 0; i < depth; i++) line += `\n\tat ${g.pick(FRAMES)}(${g.pick(CALLERS)}:${g.int(500)})`;
      return line.length < target ? g.fill(line, target, (k, v) => ` ${k}=${v}`) : line;
    }
  }
}

function kindFor(app: string, level: string): Kind {
  if (level === "error") return "error";
  if (app === "frontend" || app === "gateway") return "access";
  if (app === "auth" || app === "inventory" || app === "search") return "logfmt";
  return "json";
}

interface StreamSpec {
  labels: Record<string, string>;
  kind: Kind;
  lines: { ns: bigint; line: string; traceId?: string }[];
}

function buildStreams(seed: number, entries: number, baseMs: number): StreamSpec[] {
  const g = new Gen(rng(seed * 7919 + 17));
  // Uneven split across streams: real batches have chatty and quiet pods.
  const weights = Array.from({ length: STREAMS_PER_PUSH }, () => 0.3 + g.int(1000) / 600);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / total) * entries));
  counts[0]! += entries - counts.reduce((a, b) => a + b, 0);
  const streams: StreamSpec[] = [];
  for (let s = 0; s < STREAMS_PER_PUSH; s++) {
    const app = APPS[(seed * 3 + s) % APPS.length]!;
    const level = s === 7 ? "error" : s === 8 ? "warn" : "info";
    const labels = {
      app,
      namespace: NAMESPACES[(seed + s) % NAMESPACES.length]!,
      pod: `${app}-${g.hex(10)}-${g.hex(5)}`,
      container: app === "gateway" ? "nginx" : "main",
      level,
    };
    const kind = kindFor(app, level);
    const lines: StreamSpec["lines"] = [];
    let ns = BigInt(baseMs + s) * 1_000_000n + BigInt(g.int(1_000_000));
    for (let i = 0; i < counts[s]!; i++) {
      ns += BigInt(50_000 + g.int(400_000));
      const tsMs = Number(ns / 1_000_000n);
      const target = 150 + g.int(101);
      lines.push({ ns, line: logLine(g, kind, app, tsMs, target), traceId: g.int(10) === 0 ? g.hex(32) : undefined });
    }
    streams.push({ labels, kind, lines });
  }
  return streams;
}

const utf8 = new TextEncoder();

export function buildPayload(seed: number, entries = ENTRIES_PER_PUSH): Payload {
  const baseMs = 1_767_225_600_000 + seed * 60_000; // 2026-01-01 + one minute per payload
  const streams = buildStreams(seed, entries, baseMs);
  let msgBytes = 0;
  const protoStreams = [];
  const jsonStreams = [];
  for (const st of streams) {
    const labelString = `{${Object.entries(st.labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
    const pEntries = [];
    const values: unknown[] = [];
    for (const { ns, line, traceId } of st.lines) {
      msgBytes += Buffer.byteLength(line);
      pEntries.push({
        timestamp: { seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) },
        line,
        structuredMetadata: traceId ? [{ name: "trace_id", value: traceId }] : [],
      });
      values.push(traceId ? [String(ns), line, { trace_id: traceId }] : [String(ns), line]);
    }
    protoStreams.push({ labels: labelString, entries: pEntries });
    jsonStreams.push({ stream: st.labels, values });
  }
  const protoRaw = toBinary(PushRequestSchema, create(PushRequestSchema, { streams: protoStreams }));
  const protoSnappy = new Uint8Array(snappy.compress(protoRaw));
  const json = utf8.encode(JSON.stringify({ streams: jsonStreams }));
  return { entries, msgBytes, protoRaw, protoSnappy, json };
}

export function buildPool(n: number): Payload[] {
  const pool: Payload[] = [];
  for (let i = 0; i < n; i++) pool.push(buildPayload(i));
  return pool;
}
