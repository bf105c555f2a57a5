/**
 * `logtap upload` against moto_server (through a recording proxy, so the test sees every request the SDK sends),
 * read back with boto3: keys, bytes, the SHA-256 metadata, multipart for large files, metadata.json last, no default
 * checksum headers on a custom endpoint, resume after a killed run, the --share gates and every error's exit code.
 */

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { primaryTarget, runCli, cliTargets } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { boto, checksumHeaders, s3Env, startRecordingProxy, useMoto } from "../support/s3-servers.ts";
import { waitFor } from "../support/wait-for.ts";
import { BIG_FILE, BIG_SIZE, makeCloudCapture, treeDigests } from "./cloud-fixtures.ts";

const moto = useMoto("the upload tests against moto_server", "up");
const { skip, newBucket } = moto;

interface StoredObject {
  key: string;
  size: number;
  etag: string;
  sha256: string;
  meta: Record<string, string>;
}

function stored(bucket: string, prefix: string): StoredObject[] {
  return boto(
    moto.url,
    `import hashlib
out = []
for o in s3.list_objects_v2(Bucket='${bucket}', Prefix='${prefix}').get('Contents', []):
    r = s3.get_object(Bucket='${bucket}', Key=o['Key'])
    out.append({'key': o['Key'], 'size': o['Size'], 'etag': o['ETag'].strip('"'), 'sha256': hashlib.sha256(r['Body'].read()).hexdigest(), 'meta': r['Metadata']})
print(json.dumps(out))`,
  ) as StoredObject[];
}

describe.skipIf(skip)("logtap upload (moto_server)", () => {
  test("every file under <prefix>/ with its bytes and SHA-256; multipart from 8 MiB; metadata.json last; no checksum headers; text output", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { big: true });
    const proxy = startRecordingProxy(moto.url);
    try {
      const r = await runCli(["upload", cap, "--to", `s3://${bucket}/team/run-1/`, "--endpoint", proxy.url], { env: s3Env() });
      expect(r.stderr).toMatch(/^Uploaded \d+ files \(17\.\d MB\)\n$/);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Destination: s3://${bucket}/team/run-1\n`);
      const local = treeDigests(cap);
      const objects = stored(bucket, "team/run-1/");
      expect(Object.fromEntries(objects.map((o) => [o.key, o.sha256]))).toEqual(Object.fromEntries(Object.entries(local).map(([k, v]) => [`team/run-1/${k}`, v])));
      for (const o of objects) expect(o.meta).toEqual({ sha256: o.sha256 });
      // A multipart ETag is "<md5 of the part md5s>-<parts>": three 8 MiB parts.
      expect(objects.find((o) => o.key.endsWith(BIG_FILE))!.etag).toMatch(/-3$/);
      expect(objects.find((o) => o.key.endsWith(BIG_FILE))!.size).toBe(BIG_SIZE);
      const writes = proxy.requests.filter((q) => q.method === "PUT" || q.method === "POST");
      expect(writes.at(-1)!.path).toBe(`/${bucket}/team/run-1/metadata.json`);
      expect(writes.some((q) => q.query.includes("partNumber=3"))).toBe(true);
      expect(checksumHeaders(proxy.requests)).toEqual([]);
    } finally {
      proxy.stop();
    }
  });

  test("a second run skips every object with the same size and SHA-256; a changed file is sent again (JSON output)", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const to = `s3://${bucket}/c`;
    const first = await runCli(["upload", cap, "--to", to, "--endpoint", moto.url, "--json"], { env: s3Env() });
    expect(first.code).toBe(0);
    const files = Object.keys(treeDigests(cap)).length;
    const bytes = Object.keys(treeDigests(cap)).reduce((s, f) => s + Bun.file(join(cap, f)).size, 0);
    expect(JSON.parse(first.stdout)).toEqual({ bytes, destination: to, files, skipped: 0, source: cap });
    expect(first.stdout).toBe(`{"bytes":${bytes},"destination":"${to}","files":${files},"skipped":0,"source":"${cap}"}\n`);
    const proxy = startRecordingProxy(moto.url);
    try {
      const again = await runCli(["upload", cap, "--to", to, "--endpoint", proxy.url, "--json"], { env: s3Env() });
      expect(JSON.parse(again.stdout).skipped).toBe(files);
      expect(proxy.requests.filter((q) => q.method !== "HEAD")).toEqual([]);
      writeFileSync(join(cap, "index.jsonl"), "{}\n");
      proxy.requests.length = 0;
      const changed = await runCli(["upload", cap, "--to", to, "--endpoint", proxy.url], { env: s3Env() });
      expect(changed.stderr).toMatch(new RegExp(`^Uploaded ${files} files \\([\\d.]+ KB\\); ${files - 1} were already there with the same size and SHA-256\n$`));
      expect(proxy.requests.filter((q) => q.method === "PUT").map((q) => q.path)).toEqual([`/${bucket}/c/index.jsonl`]);
      expect(stored(bucket, "c/").find((o) => o.key === "c/index.jsonl")!.sha256).toBe(treeDigests(cap)["index.jsonl"]!);
    } finally {
      proxy.stop();
    }
  });
});

describe.skipIf(skip)("logtap upload: interruption, --share gates, errors (moto_server)", () => {
  test("killed in the middle of a multipart upload, the next run skips what was complete and sends the rest", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { big: true });
    const proxy = startRecordingProxy(moto.url);
    // Part 2 of the big file never gets an answer: the run is stuck mid-file when it is killed.
    proxy.control.hold = (q) => q.method === "PUT" && q.query.includes("partNumber=2");
    try {
      const target = primaryTarget();
      const proc = Bun.spawn([...target.cmd, "upload", cap, "--to", `s3://${bucket}/k`, "--endpoint", proxy.url, "--concurrency", "1"], {
        env: { ...process.env, ...s3Env() },
        stdout: "ignore",
        stderr: "ignore",
      });
      await waitFor(() => proxy.requests.some((q) => q.query.includes("partNumber=2")), 30_000, "part 2 of the big file");
      proc.kill("SIGKILL");
      await proc.exited;
      const before = stored(bucket, "k/").map((o) => o.key);
      expect(before.some((k) => k.endsWith(BIG_FILE) || k.endsWith("metadata.json"))).toBe(false);
      expect(before.length).toBeGreaterThan(0);
      proxy.control.hold = undefined;
      const r = await runCli(["upload", cap, "--to", `s3://${bucket}/k`, "--endpoint", proxy.url, "--json"], { env: s3Env() });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).skipped).toBe(before.length);
      const local = treeDigests(cap);
      expect(Object.fromEntries(stored(bucket, "k/").map((o) => [o.key.slice(2), o.sha256]))).toEqual(local);
    } finally {
      proxy.stop();
    }
  });

  test("--share: an unredacted capture needs --force, expiry at most 168h, checked in that order before any request", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const redacted = await makeCloudCapture(join(tempDir(), "cap"), { redacted: true });
    const proxy = startRecordingProxy(moto.url);
    try {
      const to = ["--to", "s3://nowhere/x", "--endpoint", proxy.url];
      const cases: [string[], number, string][] = [
        [["upload", cap, "--share", ...to], 2, "error: capture not redacted — use --force to share unredacted logs\n"],
        [["upload", cap, "--share", "--expiry", "200h", ...to], 2, "error: capture not redacted — use --force to share unredacted logs\n"],
        [["upload", redacted, "--share", "--expiry", "169h", ...to], 2, "error: --expiry exceeds maximum of 168h (7 days)\n"],
        [["upload", cap, "--share", "--force", "--expiry", "169h", ...to], 2, "error: --expiry exceeds maximum of 168h (7 days)\n"],
        [["upload", join(cap, "missing"), "--share", ...to], 3, `error: not a valid capture directory: read metadata: open ${join(cap, "missing", "metadata.json")}: no such file or directory\n`],
        [["upload", cap], 2, "error: --to is required\n"],
        [["upload", cap, "--to", "ftp://b/x"], 2, 'error: unsupported scheme in "ftp://b/x": expected s3:// or gs://\n'],
        [["upload", cap, "--to", "s3:///x"], 2, 'error: empty bucket in "s3:///x"\n'],
        [["upload", cap, "--to", " "], 2, "error: empty URL\n"],
        [["upload", cap, "--to", "s3://b", "--concurrency", "0"], 2, 'error: invalid --concurrency: "0" must be a whole number from 1 to 64\n'],
        [["upload", cap, "--to", "s3://b", "--endpoint", "ftp://x"], 2, 'error: invalid --endpoint "ftp://x": expected http(s)://host[:port]\n'],
        [["upload", cap, "s3://a", "--to", "s3://b"], 2, "error: give the destination once: as --to or as the second argument\n"],
      ];
      for (const [args, code, stderr] of cases) {
        const r = await runCli(args, { env: s3Env() });
        expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code, stderr, stdout: "" });
      }
      expect(proxy.requests).toEqual([]);
    } finally {
      proxy.stop();
    }
  });

  test("the destination may be the second argument; --force shares an unredacted capture with a warning", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const r = await runCli(["upload", cap, `s3://${bucket}/p`, "--share", "--force", "--endpoint", moto.url], { env: s3Env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toStartWith("WARNING: sharing unredacted capture — PII may be exposed\nUploaded ");
    expect(r.stdout).toMatch(new RegExp(`^Shared \\d+ files \\(expires in 24h0m0s\\)\\nMetadata: http://127\\.0\\.0\\.1:\\d+/${bucket}/p/metadata\\.json\\?\\S*X-Amz-Expires=86400\\S*\\n$`));
    const url = r.stdout.split("\n")[1]!.slice("Metadata: ".length);
    expect(await (await fetch(url)).text()).toBe(await Bun.file(join(cap, "metadata.json")).text());
  });

  test("exit codes: no credentials 4, missing bucket 3, refused connection 5 (recoverable in JSON)", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const none = { ...s3Env(), AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" };
    const noCreds = await runCli(["upload", cap, "--to", "s3://b/x", "--endpoint", moto.url], { env: none });
    expect(noCreds.code).toBe(4);
    expect(noCreds.stderr).toMatch(/^error: no credentials: [^\n]+\n$/);
    const missing = await runCli(["upload", cap, "--to", `s3://no-such-bucket-${process.pid}/x`, "--endpoint", moto.url], { env: s3Env() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: upload \S+: bucket no-such-bucket-\d+ not found\n$/);
    const refused = await runCli(["upload", cap, "--to", "s3://b/x", "--endpoint", "http://127.0.0.1:1", "--json"], { env: s3Env() });
    expect(refused.code).toBe(5);
    expect(JSON.parse(refused.stderr)).toMatchObject({ exit_code: 5, error: "network", recoverable: true });
    expect(JSON.parse(refused.stderr).message).toContain("http://127.0.0.1:1: connection refused");
  });
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap upload --help (%s)", (_n, target) => {
  test("lists its flags", async () => {
    const r = await runCli(["upload", "--help"], { target });
    expect(r.code).toBe(0);
    for (const flag of ["--to", "--concurrency", "--share", "--expiry", "--force", "--endpoint", "--json"]) expect(r.stdout).toContain(flag);
  });
});
