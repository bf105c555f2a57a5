/**
 * `logtap sign <dir>` writes manifest.sha256 (sha256sum format) and prints the root hash; `--verify` checks a
 * capture against it and exits 6 on any difference — in text and in JSON mode alike (upstream exited 0 in JSON).
 */

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { requirePeer } from "../support/peer.ts";
import { tempDir } from "../support/receiver-process.ts";
import { makeCapture } from "./capture-fixture.ts";

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** The manifest as sha256sum would write it for the regular files directly in `dir`. */
function expectedManifest(dir: string): { text: string; files: Array<{ file: string; sha256: string; bytes: number }> } {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== "manifest.sha256")
    .map((e) => e.name)
    .sort()
    .map((file) => {
      const data = readFileSync(join(dir, file));
      return { file, sha256: sha256(data), bytes: data.length };
    });
  return { text: files.map((f) => `${f.sha256}  ${f.file}\n`).join(""), files };
}

const noSha256sum = requirePeer("sha256sum", Bun.which("sha256sum") !== null, {
  debian: "coreutils",
  skipped: "1 sign test per target that checks the manifest with sha256sum --check",
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap sign (%s)", (_name, target) => {
  test("signing writes a sha256sum-compatible manifest (0600) and prints root hash and per-file digests", async () => {
    const dir = makeCapture(join(tempDir(), "cap"), { files: { "sub/ignored.txt": "subdirectories are not signed" } });
    const want = expectedManifest(dir);
    const r = await runCli(["sign", dir], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const rootHash = sha256(want.text);
    expect(r.stdout).toBe(
      [
        `Signed ${dir} (5 files)`,
        `Root hash: ${rootHash}`,
        "Manifest:  manifest.sha256",
        ...want.files.map((f) => `  ${f.sha256.slice(0, 12)}  ${f.file} (${f.bytes} bytes)`),
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, "manifest.sha256"), "utf8")).toBe(want.text);
    expect(statSync(join(dir, "manifest.sha256")).mode & 0o777).toBe(0o600);
  });

  test.skipIf(noSha256sum)("the manifest passes the real sha256sum --check", async () => {
    const dir = makeCapture(join(tempDir(), "cap"), { files: { "sub/ignored.txt": "subdirectories are not signed" } });
    expect((await runCli(["sign", dir], { target })).code).toBe(0);
    const check = Bun.spawnSync(["sha256sum", "--check", "--strict", "manifest.sha256"], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect({ code: check.exitCode, stderr: check.stderr.toString() }).toEqual({ code: 0, stderr: "" });
    expect(check.stdout.toString().trim().split("\n")).toHaveLength(5);
  });

  test("sign --json: dir, root_hash, files [{file, sha256, bytes}], signed_at (UTC)", async () => {
    const dir = makeCapture(join(tempDir(), "cap"));
    const before = Date.now();
    const r = await runCli(["sign", dir, "--json"], { target });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["dir", "root_hash", "files", "signed_at"]);
    const want = expectedManifest(dir);
    expect(doc.dir).toBe(dir);
    expect(doc.root_hash).toBe(sha256(want.text));
    expect(doc.files).toEqual(want.files);
    expect(Object.keys(doc.files[0])).toEqual(["file", "sha256", "bytes"]);
    expect(doc.signed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(Date.parse(doc.signed_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(r.stdout.startsWith('{\n  "dir": ')).toBe(true);
    // Signing again replaces the manifest instead of listing it.
    const again = JSON.parse((await runCli(["sign", dir, "--format", "json"], { target })).stdout);
    expect(again.files.map((f: { file: string }) => f.file)).not.toContain("manifest.sha256");
  });

  test("verify of an untouched capture: OK line, exit 0; JSON {dir, root_hash, valid}", async () => {
    const dir = makeCapture(join(tempDir(), "cap"));
    await runCli(["sign", dir], { target });
    const text = await runCli(["sign", dir, "--verify"], { target });
    expect(text).toEqual({ code: 0, stdout: `OK: ${dir} integrity verified\n`, stderr: "" });
    const json = await runCli(["sign", "--verify", "--json", dir], { target });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ dir, root_hash: sha256(readFileSync(join(dir, "manifest.sha256"))), valid: true });
  });

  test("a tampered file fails verification with exit 6 in text mode", async () => {
    const dir = makeCapture(join(tempDir(), "cap"));
    await runCli(["sign", dir], { target });
    const expected = sha256(readFileSync(join(dir, "index.jsonl")));
    appendFileSync(join(dir, "index.jsonl"), "tampered\n");
    const actual = sha256(readFileSync(join(dir, "index.jsonl")));
    const r = await runCli(["sign", dir, "--verify"], { target });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe(
      [`FAIL: ${dir} integrity check failed`, "  MISMATCH  index.jsonl", `    expected: ${expected}`, `    actual:   ${actual}`, ""].join("\n"),
    );
    expect(r.stderr).toBe("error: capture integrity check failed\n");
  });

  test("a tampered file fails with exit 6 in JSON mode too: the report on stdout, the error object on stderr", async () => {
    const dir = makeCapture(join(tempDir(), "cap"));
    await runCli(["sign", dir], { target });
    const expected = sha256(readFileSync(join(dir, "metadata.json")));
    writeFileSync(join(dir, "metadata.json"), readFileSync(join(dir, "metadata.json"), "utf8").replace('"total_lines": 2', '"total_lines": 3'));
    const r = await runCli(["sign", dir, "--verify", "--json"], { target });
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      dir,
      root_hash: sha256(readFileSync(join(dir, "manifest.sha256"))),
      valid: false,
      mismatches: [{ file: "metadata.json", expected, actual: sha256(readFileSync(join(dir, "metadata.json"))) }],
    });
    expect(JSON.parse(r.stderr)).toEqual({ exit_code: 6, error: "findings", message: "capture integrity check failed", recoverable: false });
  });

  test("missing and extra files are reported (MISSING, EXTRA) and fail verification", async () => {
    const dir = makeCapture(join(tempDir(), "cap"));
    await runCli(["sign", dir], { target });
    unlinkSync(join(dir, "audit.jsonl"));
    writeFileSync(join(dir, "2024-01-15T110000-000.jsonl"), "{}\n");
    writeFileSync(join(dir, "zz-notes.txt"), "added later\n");
    symlinkSync(join(dir, "metadata.json"), join(dir, "link.json")); // not a regular file: neither signed nor "extra"
    const text = await runCli(["sign", dir, "--verify"], { target });
    expect(text.code).toBe(6);
    expect(text.stdout).toBe([`FAIL: ${dir} integrity check failed`, "  MISSING   audit.jsonl", "  EXTRA     2024-01-15T110000-000.jsonl", "  EXTRA     zz-notes.txt", ""].join("\n"));
    const json = await runCli(["sign", dir, "--verify", "--json"], { target });
    expect(json.code).toBe(6);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(["dir", "root_hash", "valid", "missing", "extra"]);
    expect(doc.missing).toEqual(["audit.jsonl"]);
    expect(doc.extra).toEqual(["2024-01-15T110000-000.jsonl", "zz-notes.txt"]);
  });

  test("a manifest entry that points outside the capture is never opened: it counts as missing", async () => {
    const root = tempDir();
    const dir = makeCapture(join(root, "cap"));
    writeFileSync(join(root, "secret.txt"), "outside\n");
    await runCli(["sign", dir], { target });
    appendFileSync(join(dir, "manifest.sha256"), `${sha256("outside\n")}  ../secret.txt\n`);
    const r = await runCli(["sign", dir, "--verify", "--json"], { target });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).missing).toEqual(["../secret.txt"]);
  });

  test("not a capture, no manifest, wrong arguments: exit 3, 3, 2", async () => {
    const root = tempDir();
    const notCapture = join(root, "plain");
    mkdirSync(notCapture);
    const sign = await runCli(["sign", notCapture], { target });
    expect(sign).toEqual({ code: 3, stdout: "", stderr: `error: sign: not a valid capture directory: stat ${notCapture}/metadata.json: no such file or directory\n` });
    const unsigned = makeCapture(join(root, "cap"));
    const verify = await runCli(["sign", unsigned, "--verify"], { target });
    expect(verify).toEqual({ code: 3, stdout: "", stderr: `error: sign: read manifest: open ${unsigned}/manifest.sha256: no such file or directory\n` });
    expect((await runCli(["sign"], { target })).code).toBe(2);
    expect((await runCli(["sign", unsigned, unsigned], { target })).code).toBe(2);
    const json = await runCli(["sign", join(root, "missing"), "--json"], { target });
    expect(json.stdout).toBe("");
    expect(JSON.parse(json.stderr)).toMatchObject({ exit_code: 3, error: "not_found" });
  });
});
