/**
 * Builds a deterministic, realistic capture for the read benchmarks — with the real receiver: it starts the compiled
 * `dist/logtap recv`, pushes Loki protobuf+snappy batches over HTTP one at a time (so file order is time order), and
 * stops it with SIGTERM (drain + finalise). The capture is cached: a directory whose marker file
 * (`.bench-capture.json`, a dot-file logtap never reads as data) matches the parameters is reused as is.
 *
 * The batches are the ingest benchmark's payloads (`../ingest/payloads.ts`: 10 services, info/warn/error streams,
 * nginx access / JSON / logfmt / multi-line error lines, PII, 1 in 10 entries with structured metadata), with two
 * changes made here after decoding them:
 *   - time: payload `seed` already starts at 2026-01-01T00:00Z + seed minutes; its entries (bunched into well under
 *     a second) are spread over that whole minute, so the capture is continuous log time in order;
 *   - search targets: 1 entry in 100 (own seeded PRNG) gets a `context deadline exceeded` error appended to its
 *     message, and the TOKENS below are added at 0.01 %, 15 % and 50 %. None of these phrases occurs anywhere else —
 *     not in labels, timestamps, metadata or other messages — so their counts are known exactly and a search for one
 *     only ever matches message text;
 *   - `--profile entropy` / `repetitive`: messages with random ids / a few fixed templates (poor / very good
 *     compression), for the read matrix (matrix.ts);
 *   - `--error-share S` (triage matrix, ../triage/matrix.ts): exactly the share S of each push's entries are error
 *     lines by triage's rule and the others are not (error-share.ts); the `deadline exceeded` target then goes only
 *     into error lines. Without it the data is as before (~11 % error lines: the error streams and the target).
 *
 * Run: node_modules/.bin/bun scripts/bench/read/make-capture.ts [--gib 1] [--dir /tmp/logtap-bench-capture-1g]
 *        [--entries-per-push 13000] [--profile mixed|entropy|repetitive] [--error-share 0.3] [--binary dist/logtap]
 *        [--force] [--json]
 * With the defaults: ~3.3 M lines, ~1.07 GiB of JSONL in 5 files (--max-file 256MB), ~4 h of log time.
 * Importable: `ensureCapture(opts)` returns the marker (building the capture when needed).
 */

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import snappy from "snappyjs";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildPayload } from "../ingest/payloads.ts";
import { PushRequestSchema } from "../../../src/protocols/loki/gen/push_pb.ts";
import { encodeEntryLine } from "../../../src/capture/entry-line.ts";
import { mulberry32 as rng } from "../shared/prng.ts";
import { isErrorLine } from "../../../src/analysis/signature/error-line.ts";
import { neutralize, PushErrors } from "./error-share.ts";

export const ROOT = resolve(import.meta.dir, "../../..");
export const PATTERN = "deadline exceeded";
const MARKER = ".bench-capture.json";
/** Bump when the generated data changes, so cached captures are rebuilt. */
const GENERATOR = "read-bench-v3";
const INJECT_P = 0.01;
const BASE_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z, as payloads.ts

export interface CaptureParams {
  generator: string;
  gib: number;
  entriesPerPush: number;
  profile: Profile;
  /** Share of error lines, exact per push; absent: the payloads' own mix. */
  errorShare?: number;
}

export interface CaptureMarker extends CaptureParams {
  dir: string;
  pattern: string;
  /** Entries whose message contains PATTERN (counted as generated). */
  patternCount: number;
  /** Entries whose message contains each of TOKENS. */
  tokenCounts: Record<keyof typeof TOKENS, number>;
  pushes: number;
  lines: number;
  /** Uncompressed JSONL bytes, from index.jsonl. */
  jsonlBytes: number;
  /** Sum of data file sizes. */
  storedBytes: number;
  files: { name: string; lines: number; bytes: number; stored: number; frames: number }[];
  from: string;
  to: string;
  levels: Record<string, number>;
  /** Lines that are error lines by triage's rule (isErrorLine), counted as generated; absent in older markers. */
  errorLines?: number;
  buildSeconds: number;
  binary: string;
}

const INJECTIONS = [
  "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
  "upstream request timeout: context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
  "context deadline exceeded",
];

/** Appends a field the way the line's own format writes one: JSON app lines stay JSON objects, the rest get logfmt. */
function addField(line: string, key: string, value: string): string {
  if (line.endsWith("}") && line.startsWith("{")) return line.slice(0, -1) + `,"${key}":"${value}"}`;
  return line + ` ${key}="${value}"`;
}

function inject(line: string, r: () => number): string {
  return addField(line, "error", INJECTIONS[Math.floor(r() * INJECTIONS.length)]!);
}

/**
 * Search targets at known selectivities, each a phrase that occurs nowhere else (not in labels, timestamps or other
 * generated text), drawn per entry with its own probability: the matrix's 0.01 %, 1 % (PATTERN), 15 % and 50 % rows.
 */
export const TOKENS = { rare: "quota exhausted", common: "slow-path", half: "acme-corp" } as const;
const TOKEN_P = { rare: 0.0001, common: 0.15, half: 0.5 } as const;

/**
 * `mixed`: the payloads as they are (compression ratio ~7). `entropy`: every line also carries a random request id
 * and span id (62 hex digits), as traced services log them, so compression is poor. `repetitive`: a handful of
 * fixed health-check and heartbeat templates replace the messages, so compression is very good.
 */
export type Profile = "mixed" | "entropy" | "repetitive";
const REPETITIVE = [
  '10.0.0.1 - - "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"',
  "level=info msg=\"heartbeat ok\" component=leader-election",
  '{"level":"info","msg":"cache refreshed","entries":4096}',
  "level=debug msg=\"metrics scraped\" series=1812",
];

function reshape(line: string, profile: Profile, r: () => number): string {
  if (profile === "repetitive") return REPETITIVE[Math.floor(r() * REPETITIVE.length)]!;
  if (profile === "entropy") {
    const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
    return addField(addField(line, "request_id", hex(32)), "span_id", hex(30));
  }
  return line;
}

/** FNV-1a, as hex: stable made-up ids. */
function fnvHex(s: string, len: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  let out = "";
  while (out.length < len) {
    out += h.toString(16).padStart(8, "0");
    h = Math.imul(h ^ out.length, 0x01000193) >>> 0;
  }
  return out.slice(0, len);
}

/**
 * payloads.ts makes up fresh pod names for every push; a real cluster has a few replicas per deployment that live
 * until the next rollout. Three replicas per app and namespace, a rollout every hour of log time.
 */
function stablePod(labels: Record<string, string>, seed: number, stream: number): string {
  const app = labels.app ?? "app";
  const rs = fnvHex(`${app}/${labels.namespace}/rollout-${Math.floor(seed / 60)}`, 10);
  return `${app}-${rs}-${fnvHex(`${rs}/${(seed + stream) % 3}`, 5)}`;
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

interface Built {
  body: Uint8Array;
  entries: number;
  jsonlBytes: number;
  injected: number;
  tokens: Record<keyof typeof TOKENS, number>;
  levels: Record<string, number>;
  errorLines: number;
}

/** Payload `seed`, retimed over its minute and with the search target injected. Deterministic. */
function buildPush(seed: number, entries: number, injectR: () => number, profile: Profile, errorShare?: { share: number; r: () => number }): Built {
  const p = buildPayload(seed, entries);
  const req = fromBinary(PushRequestSchema, p.protoRaw);
  const baseNs = BigInt(BASE_MS + seed * 60_000) * 1_000_000n;
  let maxOff = 0n;
  for (const st of req.streams)
    for (const e of st.entries) {
      const off = e.timestamp!.seconds * 1_000_000_000n + BigInt(e.timestamp!.nanos) - baseNs;
      if (off > maxOff) maxOff = off;
    }
  // Spread the payload's entries over 59.5 s of its minute, preserving their order within each stream.
  const scale = 59.5e9 / Number(maxOff);
  let jsonlBytes = 0;
  let injected = 0;
  const tokens = { rare: 0, common: 0, half: 0 };
  const levels: Record<string, number> = {};
  let errorLines = 0;
  const errors = errorShare ? new PushErrors(errorShare.share, entries, errorShare.r) : null;
  for (const [si, st] of req.streams.entries()) {
    const parsed = parseLabels(st.labels);
    if (parsed.pod !== undefined) parsed.pod = stablePod(parsed, seed, si);
    st.labels = `{${Object.entries(parsed).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
    const labels = Object.freeze(parsed);
    const level = labels.level ?? "";
    levels[level] = (levels[level] ?? 0) + st.entries.length;
    for (const e of st.entries) {
      const off = e.timestamp!.seconds * 1_000_000_000n + BigInt(e.timestamp!.nanos) - baseNs;
      const ns = baseNs + BigInt(Math.round(Number(off) * scale));
      e.timestamp!.seconds = ns / 1_000_000_000n;
      e.timestamp!.nanos = Number(ns % 1_000_000_000n);
      e.line = reshape(e.line, profile, injectR);
      // null: no error-share knob, the payload's lines as they are.
      const error = errors?.next() ?? null;
      if (error === false) e.line = neutralize(e.line);
      if (injectR() < INJECT_P && error !== false) {
        e.line = inject(e.line, injectR);
        injected++;
      } else if (error === true && !isErrorLine(e.line)) e.line = addField(e.line, "error", errors!.phrase());
      for (const k of ["rare", "common", "half"] as const) {
        if (injectR() >= TOKEN_P[k]) continue;
        e.line = addField(e.line, k === "half" ? "tenant" : k === "common" ? "route_class" : "warning", TOKENS[k]);
        tokens[k]++;
      }
      const isError = isErrorLine(e.line);
      if (error !== null && isError !== error) throw new Error(`error-share: entry ${error ? "chosen" : "not chosen"} as an error line judged otherwise: ${e.line}`);
      if (isError) errorLines++;
      const meta = e.structuredMetadata.length ? Object.fromEntries(e.structuredMetadata.map((m) => [m.name, m.value])) : undefined;
      const line = encodeEntryLine({ sec: Number(e.timestamp!.seconds), nsec: e.timestamp!.nanos, labels, msg: e.line, meta });
      jsonlBytes += Buffer.byteLength(line) + 1;
    }
  }
  const raw = toBinary(PushRequestSchema, create(PushRequestSchema, req));
  return { body: new Uint8Array(snappy.compress(raw)), entries, jsonlBytes, injected, tokens, levels, errorLines };
}

async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

async function metrics(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(logtap_[a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  }
  return out;
}

function readMarker(dir: string): CaptureMarker | null {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), "utf8")) as CaptureMarker;
  } catch {
    return null;
  }
}

function sameParams(m: CaptureMarker | null, p: CaptureParams): m is CaptureMarker {
  return m !== null && m.generator === p.generator && m.gib === p.gib && m.entriesPerPush === p.entriesPerPush && m.profile === p.profile &&
    (m.errorShare ?? null) === (p.errorShare ?? null);
}

export interface EnsureOptions {
  dir: string;
  gib: number;
  entriesPerPush?: number;
  profile?: Profile;
  errorShare?: number;
  binary?: string;
  force?: boolean;
  log?: (s: string) => void;
}

export async function ensureCapture(o: EnsureOptions): Promise<CaptureMarker> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + "\n"));
  if (o.errorShare !== undefined && !(o.errorShare >= 0 && o.errorShare <= 1)) throw new Error(`error share ${o.errorShare} is not in [0, 1]`);
  const params: CaptureParams = {
    generator: GENERATOR, gib: o.gib, entriesPerPush: o.entriesPerPush ?? 13_000, profile: o.profile ?? "mixed",
    ...(o.errorShare !== undefined && { errorShare: o.errorShare }),
  };
  const dir = resolve(o.dir);
  const have = readMarker(dir);
  if (!o.force && sameParams(have, params)) {
    log(`capture: reusing ${dir} (marker ${MARKER} matches)`);
    return have;
  }
  const binary = resolve(ROOT, o.binary ?? "dist/logtap");
  if (!existsSync(binary)) throw new Error(`${binary} not found: build it with node_modules/.bin/bun scripts/build.ts`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(resolve(dir, ".."), { recursive: true });
  const target = params.gib * 2 ** 30;
  log(`capture: building ${dir}: ≥ ${(target / 2 ** 30).toFixed(2)} GiB of JSONL through ${binary} recv (one-time)`);

  const t0 = performance.now();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn(
    [binary, "recv", "--headless", "--listen", `127.0.0.1:${port}`, "--dir", dir, "--max-file", "256MB",
      "--buffer", "262144", "--stats-interval", "0"],
    { stdout: "ignore", stderr: "pipe" },
  );
  let stderr = "";
  const stderrDone = (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  for (let i = 0; ; i++) {
    if (stderr.includes("listening on")) break;
    if (proc.exitCode !== null || i > 200) throw new Error(`receiver did not start:\n${stderr}`);
    await Bun.sleep(25);
  }

  const injectR = rng(0x5eed);
  const errorShare = params.errorShare !== undefined ? { share: params.errorShare, r: rng(0xe770) } : undefined;
  let jsonlBytes = 0;
  let lines = 0;
  let injected = 0;
  const tokenCounts = { rare: 0, common: 0, half: 0 };
  let pushes = 0;
  let errorLines = 0;
  const levels: Record<string, number> = {};
  let inflight: Promise<void> | null = null;
  const send = async (b: Built) => {
    // Never let the receiver drop: it answers 204 even when its queue is full, so keep the queue well below capacity.
    for (;;) {
      const m = await metrics(base);
      if ((m.logtap_writer_queue_length ?? 0) <= 131_072) break;
      await Bun.sleep(20);
    }
    const res = await fetch(`${base}/loki/api/v1/push`, {
      method: "POST",
      body: b.body as BodyInit,
      headers: { "content-type": "application/x-protobuf" },
    });
    if (res.status !== 204) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  };
  while (jsonlBytes < target) {
    const b = buildPush(pushes, params.entriesPerPush, injectR, params.profile, errorShare);
    pushes++;
    errorLines += b.errorLines;
    lines += b.entries;
    jsonlBytes += b.jsonlBytes;
    injected += b.injected;
    for (const k of ["rare", "common", "half"] as const) tokenCounts[k] += b.tokens[k];
    for (const [k, v] of Object.entries(b.levels)) levels[k] = (levels[k] ?? 0) + v;
    // Build the next push while this one is in flight, but keep pushes strictly one after another (time order).
    if (inflight) await inflight;
    inflight = send(b);
    if (pushes % 20 === 0) log(`capture: ${pushes} pushes, ${lines.toLocaleString("en")} lines, ${(jsonlBytes / 2 ** 20).toFixed(0)} MiB`);
  }
  await inflight;
  for (;;) {
    const m = await metrics(base);
    if ((m.logtap_logs_dropped_total ?? 0) > 0) throw new Error(`receiver dropped ${m.logtap_logs_dropped_total} entries`);
    if ((m.logtap_logs_written_total ?? 0) >= lines) break;
    await Bun.sleep(100);
  }
  proc.kill("SIGTERM");
  const code = await proc.exited;
  await stderrDone;
  if (code !== 0) throw new Error(`receiver exited ${code}:\n${stderr}`);

  const index = readFileSync(join(dir, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const files = index.map((e) => ({
    name: e.file as string,
    lines: e.lines as number,
    bytes: e.bytes as number,
    stored: statSync(join(dir, e.file)).size,
    frames: (e.frames ?? []).length as number,
  }));
  const dataFiles = readdirSync(dir).filter((n) => n.endsWith(".jsonl.zst"));
  if (dataFiles.length !== files.length) throw new Error(`index lists ${files.length} files, directory holds ${dataFiles.length}`);
  const idxLines = files.reduce((a, f) => a + f.lines, 0);
  if (idxLines !== lines) throw new Error(`index counts ${idxLines} lines, ${lines} were pushed`);
  const marker: CaptureMarker = {
    ...params,
    dir,
    pattern: PATTERN,
    patternCount: injected,
    tokenCounts,
    pushes,
    lines,
    jsonlBytes: files.reduce((a, f) => a + f.bytes, 0),
    storedBytes: files.reduce((a, f) => a + f.stored, 0),
    files,
    from: index[0].from,
    to: index[index.length - 1].to,
    levels,
    errorLines,
    buildSeconds: Math.round((performance.now() - t0) / 100) / 10,
    binary,
  };
  if (marker.jsonlBytes !== jsonlBytes) log(`capture: note: index says ${marker.jsonlBytes} JSONL bytes, client estimate ${jsonlBytes}`);
  writeFileSync(join(dir, MARKER), JSON.stringify(marker, null, 2) + "\n", { mode: 0o600 });
  return marker;
}

/** Where a capture of this size, profile and error share is cached (`-err30`: 30 % error lines). */
export function captureDir(gib: number, profile: Profile = "mixed", errorShare?: number): string {
  const err = errorShare === undefined ? "" : `-err${Number((errorShare * 100).toFixed(4))}`;
  return `/tmp/logtap-bench-capture-${gib}g${profile === "mixed" ? "" : `-${profile}`}${err}`;
}

export function describeCapture(m: CaptureMarker): string {
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const spanH = (Date.parse(m.to) - Date.parse(m.from)) / 3.6e6;
  const lv = Object.entries(m.levels).map(([k, v]) => `${k} ${((v / m.lines) * 100).toFixed(1)}%`).join(", ");
  const rows = m.files.map((f) => `    ${f.name}  ${f.lines.toLocaleString("en")} lines  ${mib(f.bytes)} JSONL  ${mib(f.stored)} stored  ${f.frames} frames`);
  return [
    `capture ${m.dir}`,
    `  ${m.lines.toLocaleString("en")} lines in ${m.pushes} pushes of ${m.entriesPerPush}, ${m.files.length} files`,
    `  ${mib(m.jsonlBytes)} JSONL (${(m.jsonlBytes / 2 ** 30).toFixed(3)} GiB, ${(m.jsonlBytes / m.lines).toFixed(0)} B/line) → ${mib(m.storedBytes)} stored (ratio ${(m.jsonlBytes / m.storedBytes).toFixed(2)})`,
    `  log time ${m.from} → ${m.to} (${spanH.toFixed(2)} h)`,
    `  levels: ${lv}`,
    ...(m.errorLines === undefined ? [] : [`  error lines (triage's rule): ${m.errorLines.toLocaleString("en")} (${((m.errorLines / m.lines) * 100).toFixed(3)}%${m.errorShare === undefined ? "" : `, --error-share ${m.errorShare}`})`]),
    `  profile ${m.profile}; pattern "${m.pattern}": ${m.patternCount.toLocaleString("en")} lines (${((m.patternCount / m.lines) * 100).toFixed(3)}%), message text only`,
    `  tokens: ${Object.entries(m.tokenCounts).map(([k, v]) => `"${TOKENS[k as keyof typeof TOKENS]}" ${v.toLocaleString("en")} (${((v / m.lines) * 100).toFixed(3)}%)`).join(", ")}`,
    ...rows,
  ].join("\n");
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: {
      gib: { type: "string", default: "1" },
      dir: { type: "string" },
      "entries-per-push": { type: "string", default: "13000" },
      profile: { type: "string", default: "mixed" },
      "error-share": { type: "string" },
      binary: { type: "string", default: "dist/logtap" },
      force: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const gib = Number(args.gib);
  const profile = args.profile as Profile;
  const errorShare = args["error-share"] === undefined ? undefined : Number(args["error-share"]);
  const dir = args.dir ?? captureDir(gib, profile, errorShare);
  const m = await ensureCapture({ dir, gib, entriesPerPush: Number(args["entries-per-push"]), profile, errorShare, binary: args.binary, force: args.force });
  console.log(args.json ? JSON.stringify(m, null, 2) : describeCapture(m));
}
