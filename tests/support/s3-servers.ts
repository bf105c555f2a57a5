/**
 * Real local S3 servers for the upload/download tests: moto_server (Python's moto, which also serves STS for the
 * web-identity test) and s3rver (npm, which checks SigV4 signatures and presigned-URL expiry), a recording proxy that
 * shows exactly what the SDK sends, and boto3 as the independent client that reads back and plants objects.
 *
 * moto and boto3 come from pip, which cannot reach PyPI on these machines: the machine image brings them, and under
 * CI their absence fails the files that need them (requirePeer) instead of skipping.
 */

import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requirePeer } from "./peer.ts";
import { waitFor } from "./wait-for.ts";

export const TEST_KEYS = { AWS_ACCESS_KEY_ID: "AKIDLOGTAPTEST", AWS_SECRET_ACCESS_KEY: "logtap-test-secret", AWS_REGION: "us-east-1" };

const PYTHON_PEERS_OK =
  Bun.which("moto_server") !== null && Bun.spawnSync(["python3", "-c", "import boto3, moto"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;

/** true when the moto/boto3 tests must be skipped (only off CI). */
export function motoMissing(skipped: string): boolean {
  return requirePeer("moto_server and boto3", PYTHON_PEERS_OK, { install: "pip install 'moto[server]' boto3; PyPI is not reachable here, the machine image has them", skipped });
}

async function freePort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface LocalServer {
  url: string;
  stop(): void;
}

export async function startMoto(): Promise<LocalServer> {
  const port = await freePort();
  const proc = Bun.spawn(["moto_server", "-H", "127.0.0.1", "-p", String(port)], { stdout: "ignore", stderr: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/moto-api/`)).ok, 20_000, "moto_server to answer");
  return { url, stop: () => proc.kill() };
}

/**
 * One moto_server for the test file or describe block that calls this: started before its tests, stopped after
 * them, not started at all where `skip` says moto is missing. `newBucket` makes an empty bucket a test can own.
 */
export function useMoto(skipped: string, bucketPrefix = "b"): { skip: boolean; readonly url: string; newBucket(): string } {
  const skip = motoMissing(skipped);
  let server: LocalServer | undefined;
  let buckets = 0;
  beforeAll(async () => {
    if (!skip) server = await startMoto();
  });
  afterAll(() => server?.stop());
  return {
    skip,
    get url() {
      return server!.url;
    },
    newBucket() {
      const name = `${bucketPrefix}-${++buckets}-${process.pid}`;
      boto(server!.url, `s3.create_bucket(Bucket='${name}')`);
      return name;
    },
  };
}

/** s3rver with its default SigV4 checks (key S3RVER / S3RVER), one bucket per name given. */
export async function startS3rver(buckets: string[]): Promise<LocalServer & { keys: Record<string, string> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "logtap-s3rver-"));
  const script = `
    const S3rver = require("s3rver");
    new S3rver({ address: "127.0.0.1", port: ${port}, silent: true, directory: ${JSON.stringify(dir)},
      configureBuckets: ${JSON.stringify(buckets.map((name) => ({ name })))} }).run().then(() => console.log("up"));`;
  const proc = Bun.spawn(["node", "-e", script], { cwd: join(import.meta.dir, "..", ".."), stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const first = await reader.read();
  if (!new TextDecoder().decode(first.value).includes("up")) throw new Error("s3rver did not start");
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill(), keys: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" } };
}

export interface RecordedRequest {
  method: string;
  /** Decoded, without the query. */
  path: string;
  query: string;
  headers: Record<string, string>;
}

export interface ProxyControl {
  /** Requests for which this returns true get no answer at all (an upload part that never finishes). */
  hold?: (r: RecordedRequest) => boolean;
  /** A number: the answer's body stops after that many bytes and the connection stays open (a download cut off). */
  stallAfter?: (r: RecordedRequest) => number | undefined;
}

/**
 * A pass-through proxy in front of `upstream` that keeps every request's method, path and headers, and can hold or
 * cut off chosen requests (`control`, changeable while it runs) so a test can interrupt a transfer at a known point.
 */
export function startRecordingProxy(upstream: string): LocalServer & { requests: RecordedRequest[]; control: ProxyControl } {
  const requests: RecordedRequest[] = [];
  const control: ProxyControl = {};
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const u = new URL(req.url);
      const rec = { method: req.method, path: decodeURIComponent(u.pathname), query: u.search, headers: Object.fromEntries(req.headers) };
      requests.push(rec);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
      if (control.hold?.(rec)) return new Promise<Response>(() => {});
      const headers = new Headers(req.headers);
      headers.delete("host");
      const res = await fetch(upstream + u.pathname + u.search, { method: req.method, headers, body, redirect: "manual", decompress: false });
      const bytes = req.method === "HEAD" ? null : new Uint8Array(await res.arrayBuffer());
      const cut = bytes === null ? undefined : control.stallAfter?.(rec);
      if (cut === undefined || bytes === null) return new Response(bytes, { status: res.status, headers: res.headers });
      const stalled = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes.subarray(0, cut));
        },
      });
      return new Response(stalled, { status: res.status, headers: res.headers });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, control, stop: () => server.stop(true) };
}

const CHECKSUM = /^(x-amz-checksum-.*|x-amz-sdk-checksum-algorithm|x-amz-trailer|x-amz-decoded-content-length)$/;

/** The SDK's default checksum headers and aws-chunked bodies among recorded requests, which a custom endpoint must not get. */
export function checksumHeaders(reqs: RecordedRequest[]): string[] {
  return reqs.flatMap((r) =>
    Object.entries(r.headers)
      .filter(([h, v]) => CHECKSUM.test(h) || (h === "content-encoding" && v.includes("aws-chunked")) || (h === "x-amz-content-sha256" && v.includes("STREAMING")))
      .map(([h, v]) => `${r.method} ${r.path}${r.query} ${h}: ${v}`),
  );
}

/**
 * Runs Python with `s3` a boto3 client of `endpoint` (path-style, the test keys); the script prints one JSON value.
 * Binary values cross as base64.
 */
export function boto(endpoint: string, script: string): unknown {
  const prelude = [
    "import boto3, json, base64, sys",
    "from botocore.config import Config",
    `s3 = boto3.client('s3', endpoint_url=${JSON.stringify(endpoint)}, region_name='us-east-1', aws_access_key_id='${TEST_KEYS.AWS_ACCESS_KEY_ID}', aws_secret_access_key='${TEST_KEYS.AWS_SECRET_ACCESS_KEY}', config=Config(s3={'addressing_style': 'path'}))`,
  ].join("\n");
  const p = Bun.spawnSync(["python3", "-c", `${prelude}\n${script}`], { stdout: "pipe", stderr: "pipe", env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" } });
  if (p.exitCode !== 0) throw new Error(`boto3 script failed:\n${p.stderr.toString()}`);
  const out = p.stdout.toString().trim();
  return out === "" ? null : JSON.parse(out);
}

/** Environment for a logtap run against a local server: its keys, no shared files or instance metadata to consult. */
export function s3Env(keys: Record<string, string> = TEST_KEYS): Record<string, string> {
  return { ...keys, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" };
}
