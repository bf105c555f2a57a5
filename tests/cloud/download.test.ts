/**
 * `logtap download` against moto_server, with objects written by logtap or planted by boto3: the capture comes back
 * byte for byte with the capture format's modes and every reading command works on it; planted keys that would
 * escape --out and symlinks planted under --out are refused with nothing written; a signed capture is verified and
 * a tampered or missing object fails it (exit 6); an interrupted download resumes with a Range request.
 */

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, truncateSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { boto, s3Env, startRecordingProxy, useMoto } from "../support/s3-servers.ts";
import { waitFor } from "../support/wait-for.ts";
import { BIG_FILE, makeCloudCapture, treeDigests } from "./cloud-fixtures.ts";

const moto = useMoto("the download tests against moto_server", "down");
const { skip, newBucket } = moto;

/** Keys (JSON-encoded, so NUL and backslashes survive) → bytes, put by boto3. */
function plant(bucket: string, objects: Record<string, string>): void {
  boto(moto.url, `for k, v in json.loads(${JSON.stringify(JSON.stringify(objects))}).items():\n    s3.put_object(Bucket='${bucket}', Key=k, Body=v.encode())`);
}

async function uploaded(opts: { big?: boolean; sign?: boolean } = {}): Promise<{ bucket: string; cap: string; url: string }> {
  const bucket = newBucket();
  const cap = await makeCloudCapture(join(tempDir(), "cap"), { big: opts.big });
  if (opts.sign) expect((await runCli(["sign", cap])).code).toBe(0);
  const url = `s3://${bucket}/caps/a`;
  const up = await runCli(["upload", cap, "--to", url, "--endpoint", moto.url], { env: s3Env() });
  expect(up.code).toBe(0);
  return { bucket, cap, url };
}

function modes(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .sort()
    .map((f) => `${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`);
}

describe.skipIf(skip)("logtap download (moto_server)", () => {
  test("the capture comes back byte for byte, files 0600 and directories 0700, and every reading command works on it", async () => {
    const { cap, url } = await uploaded({ big: true });
    const out = join(tempDir(), "dl");
    const r = await runCli(["download", url, "--out", out, "--endpoint", moto.url], { env: s3Env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^Downloaded \\d+ files \\(17\\.\\d MB\\) to ${out}\\n$`));
    expect(treeDigests(out)).toEqual(treeDigests(cap));
    expect((statSync(out).mode & 0o777).toString(8)).toBe("700");
    for (const m of modes(out)) expect(m).toMatch(/ (600|700)$/);
    expect(modes(out)).toContain("extra 700");
    for (const args of [["inspect", out, "--json"], ["grep", "timeout", out, "--count"], ["triage", out, "--exit-zero", "--json"], ["export", out, "--format", "jsonl", "--out", join(tempDir(), "e.jsonl")], ["slice", out, "-o", join(tempDir(), "s")], ["sign", out]]) {
      const c = await runCli(args);
      expect({ args, code: c.code, stderr: c.stderr }).toEqual({ args, code: 0, stderr: expect.any(String) });
    }
    const again = await runCli(["download", url, "-o", out, "--endpoint", moto.url, "--json"], { env: s3Env() });
    const files = Object.keys(treeDigests(cap)).length;
    expect(JSON.parse(again.stdout)).toMatchObject({ files, output: out, skipped: files - 0, source: url });
    expect(Object.keys(JSON.parse(again.stdout))).toEqual(["bytes", "files", "output", "skipped", "source"]);
  });

  test("planted keys that would leave --out are refused before anything is written", async () => {
    const bucket = newBucket();
    const sentinel = join(tempDir(), "outside");
    mkdirSync(sentinel);
    const evil = [
      "../../../etc/passwd",
      "/etc/shadow",
      "sub/../../.ssh/authorized_keys",
      "..",
      "a\\..\\..\\x",
      "a\u0000b",
      "./x",
      "a//b",
      `../${sentinel.split("/").at(-1)}/pwned`,
    ];
    plant(bucket, Object.fromEntries(evil.flatMap((rel, i) => [[`p${i}/metadata.json`, "{}"], [`p${i}/${rel}`, "pwned"]])));
    for (const [i, rel] of evil.entries()) {
      const out = join(tempDir(), "dl");
      const r = await runCli(["download", `s3://${bucket}/p${i}`, "--out", out, "--endpoint", moto.url], { env: s3Env() });
      expect({ rel, code: r.code }).toEqual({ rel, code: 1 });
      expect(r.stderr).toBe(`error: unsafe object key: ${JSON.stringify(`p${i}/${rel}`).slice(1, -1)}\n`);
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(sentinel)).toEqual([]);
  });

  test("a symlink planted under --out is never followed: the download is refused and nothing lands behind it", async () => {
    const bucket = newBucket();
    plant(bucket, { "p/metadata.json": "{}", "p/sub/x.jsonl": "data\n", "p/link.jsonl": "data\n" });
    const outside = join(tempDir(), "outside");
    mkdirSync(outside);
    const out = join(tempDir(), "dl");
    mkdirSync(out);
    symlinkSync(outside, join(out, "sub"));
    const r = await runCli(["download", `s3://${bucket}/p`, "--out", out, "--endpoint", moto.url, "--concurrency", "1"], { env: s3Env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: refusing to write ${join(out, "sub")}: a symbolic link is in the way\n`);
    expect(readdirSync(outside)).toEqual([]);
    // Every path is checked before the first byte is written.
    expect(readdirSync(out)).toEqual(["sub"]);
    unlinkSync(join(out, "sub"));
    symlinkSync(join(outside, "target.jsonl"), join(out, "link.jsonl"));
    const r2 = await runCli(["download", `s3://${bucket}/p`, "--out", out, "--endpoint", moto.url], { env: s3Env() });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toBe(`error: refusing to write ${join(out, "link.jsonl")}: a symbolic link is in the way\n`);
    expect(readdirSync(outside)).toEqual([]);
  });

  test("a signed capture is verified; a tampered object fails (exit 6) and is not left in --out, a deleted one too", async () => {
    const { bucket, cap, url } = await uploaded({ sign: true });
    const out = join(tempDir(), "dl");
    const ok = await runCli(["download", url, "--out", out, "--endpoint", moto.url], { env: s3Env() });
    expect(ok.code).toBe(0);
    expect((await runCli(["sign", "--verify", out])).stdout).toBe(`OK: ${out} integrity verified\n`);
    const data = readdirSync(cap).find((f) => f.endsWith(".jsonl.zst"))!;
    plant(bucket, { [`caps/a/${data}`]: "tampered" });
    const out2 = join(tempDir(), "dl");
    const bad = await runCli(["download", url, "--out", out2, "--endpoint", moto.url], { env: s3Env() });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(new RegExp(`^error: download ${data}: SHA-256 [0-9a-f]{64} does not match manifest\\.sha256 \\([0-9a-f]{64}\\)\\n$`));
    expect(existsSync(join(out2, data))).toBe(false);
    // No part file of the tampered object (another object's download, cut short by this failure, may leave its
    // part file to resume from, as any interrupted download does).
    expect(readdirSync(out2).filter((f) => f.startsWith(`.${data}.`))).toEqual([]);
    boto(moto.url, `s3.delete_object(Bucket='${bucket}', Key='caps/a/${data}')`);
    const gone = await runCli(["download", url, "--out", join(tempDir(), "dl"), "--endpoint", moto.url], { env: s3Env() });
    expect(gone.code).toBe(6);
    expect(gone.stderr).toContain(`failed verification against manifest.sha256: ${data} is listed but missing`);
  });

  test("an interrupted download resumes: complete files are skipped, the cut-off one continues with a Range request", async () => {
    const { cap, url } = await uploaded({ big: true });
    const proxy = startRecordingProxy(moto.url);
    const out = join(tempDir(), "dl");
    try {
      proxy.control.stallAfter = (q) => (q.method === "GET" && q.path.endsWith(BIG_FILE) ? 5_000_000 : undefined);
      const proc = Bun.spawn([...primaryTarget().cmd, "download", url, "--out", out, "--endpoint", proxy.url], { env: { ...process.env, ...s3Env() }, stdout: "ignore", stderr: "ignore" });
      const part = () => readdirSync(join(out, "extra")).find((f) => f.endsWith(".part"));
      await waitFor(() => part() !== undefined && statSync(join(out, "extra", part()!)).size === 5_000_000, 30_000, "the part file to hold the bytes sent");
      proc.kill("SIGKILL");
      await proc.exited;
      expect(existsSync(join(out, BIG_FILE))).toBe(false);
      proxy.control.stallAfter = undefined;
      proxy.requests.length = 0;
      // A complete file cut short by hand is fetched again whole.
      const shortened = readdirSync(cap).find((f) => f.endsWith(".jsonl.zst"))!;
      truncateSync(join(out, shortened), 10);
      const r = await runCli(["download", url, "--out", out, "--endpoint", proxy.url, "--json"], { env: s3Env() });
      expect(r.code).toBe(0);
      expect(treeDigests(out)).toEqual(treeDigests(cap));
      const gets = proxy.requests.filter((q) => q.method === "GET" && !q.query.includes("list-type"));
      expect(gets.map((q) => [q.path.split("/").slice(4).join("/"), q.headers.range])).toEqual(
        expect.arrayContaining([[BIG_FILE, "bytes=5000000-"], [shortened, undefined]]),
      );
      expect(gets.length).toBe(2);
    } finally {
      proxy.stop();
    }
  });

  test("errors: --out required (2), nothing under the prefix (3), --max-files and --max-size (1), a prefix without metadata.json (3)", async () => {
    const { url } = await uploaded();
    const env = s3Env();
    const cases: [string[], number, RegExp][] = [
      [["download", url], 2, /^error: --out is required\n$/],
      [["download", `${url}-nothing`, "-o", join(tempDir(), "x")], 3, /^error: no objects found under prefix "caps\/a-nothing"\n$/],
      [["download", url, "-o", join(tempDir(), "x"), "--max-files", "2"], 1, /^error: \d+ objects under the prefix, more than --max-files 2\n$/],
      [["download", url, "-o", join(tempDir(), "x"), "--max-size", "1KB"], 1, /^error: the objects under the prefix hold [\d.]+ KB, more than --max-size 1\.0 KB\n$/],
    ];
    for (const [args, code, stderr] of cases) {
      const r = await runCli([...args, "--endpoint", moto.url], { env });
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(stderr);
    }
    const bucket = newBucket();
    plant(bucket, { "p/index.jsonl": "" });
    const r = await runCli(["download", `s3://${bucket}/p`, "-o", join(tempDir(), "x"), "--endpoint", moto.url], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: downloaded capture invalid \(missing or corrupt metadata\.json\): /);
  });
});
