/**
 * `logtap snapshot <capture> -o x.tar.zst` packs a capture as a tar inside one zstd stream (any tar + zstd
 * reads it); `snapshot x.tar.zst --extract -o <dir>` unpacks one into a new or empty directory.
 *
 * Extraction refuses the whole archive — writing nothing, inside or outside the output — when any entry would
 * escape the output (`../x`, `a/../../x`, `/abs`, also via PAX or GNU long names) or is not a regular file or
 * directory (symlinks, hard links, devices, FIFOs).
 */

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { noise } from "../support/noise.ts";
import { requirePeer } from "../support/peer.ts";
import { tempDir } from "../support/receiver-process.ts";
import { makeCapture, metadataText } from "./capture-fixture.ts";
import { paxPath, tarBytes, tarZst, type RawEntry } from "./tar-bytes.ts";

const LONG_NAME = `${"very-long-file-name-".repeat(7)}.jsonl`; // 147 bytes: needs a PAX path record
const noZstdTar = requirePeer("tar --zstd", Bun.spawnSync(["sh", "-c", "command -v zstd && tar --help | grep -q -- --zstd"]).exitCode === 0, {
  debian: "tar zstd",
  skipped: "3 snapshot tests per target that check archives against the system tar",
});

function makeRichCapture(dir: string): string {
  return makeCapture(dir, {
    files: {
      // Incompressible, so the big file really spans many 1 MiB chunks of the archive.
      "2024-01-15T104002-000.jsonl.zst": noise(3 * 1024 * 1024 + 123),
      "empty.jsonl": "",
      "block-sized.bin": "b".repeat(1024),
      [LONG_NAME]: "long name\n",
      "sub/nested.txt": "nested\n",
      [`sub/deeper/${"d".repeat(90)}/${"f".repeat(90)}.txt`]: "prefix-split name\n",
    },
  });
}

/** Relative path → bytes for every file under `dir` (directories as `<path>/`). */
function tree(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      out.set(relative(base, p) + "/", "");
      for (const [k, v] of tree(p, base)) out.set(k, v);
    } else out.set(relative(base, p), Buffer.from(readFileSync(p)).toString("base64"));
  }
  return out;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

const METADATA: RawEntry = { name: "metadata.json", body: metadataText({}) };

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap snapshot (%s)", (_name, target) => {
  test("pack: one zstd frame, 0600, no temporary file left behind", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    const out = join(root, "cap.tar.zst");
    const r = await runCli(["snapshot", src, "-o", out], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`Snapshot saved to ${out} (${formatBytes(statSync(out).size)})\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(root).sort()).toEqual(["cap", "cap.tar.zst"]);
    const frames = Bun.spawnSync(["zstd", "-lv", out]).stdout.toString();
    expect(frames).toMatch(/# Zstandard Frames: 1\b/);
  });

  test("pack into a stream (stdout as a pipe): the same archive as into a file, and the stream is not replaced", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    const out = join(root, "cap.tar.zst");
    expect((await runCli(["snapshot", src, "-o", out], { target })).code).toBe(0);
    const piped = join(root, "piped.tar.zst");
    const cmd = [...target.cmd, "snapshot", src, "-o", "/proc/self/fd/1"].map((a) => `'${a}'`).join(" ");
    const p = Bun.spawnSync(["sh", "-c", `${cmd} | cat > '${piped}'`], { stderr: "pipe" });
    expect(p.exitCode).toBe(0);
    expect(p.stderr.toString()).toBe(`Snapshot saved to /proc/self/fd/1 (${formatBytes(statSync(out).size)})\n`);
    expect(readFileSync(piped).equals(readFileSync(out))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(["cap", "cap.tar.zst", "piped.tar.zst"]);
  });

  test.skipIf(noZstdTar)("pack: the system tar lists every file and directory, relative, depth first in name order", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    const out = join(root, "cap.tar.zst");
    expect((await runCli(["snapshot", src, "-o", out], { target })).code).toBe(0);
    const listing = Bun.spawnSync(["tar", "--zstd", "-tf", out]);
    expect(listing.exitCode).toBe(0);
    expect(listing.stdout.toString().trim().split("\n")).toEqual([
      "2024-01-15T103201-000.jsonl.zst",
      "2024-01-15T103512-000.jsonl",
      "2024-01-15T104002-000.jsonl.zst",
      "audit.jsonl",
      "block-sized.bin",
      "empty.jsonl",
      "index.jsonl",
      "metadata.json",
      "sub/",
      "sub/deeper/",
      `sub/deeper/${"d".repeat(90)}/`,
      `sub/deeper/${"d".repeat(90)}/${"f".repeat(90)}.txt`,
      "sub/nested.txt",
      LONG_NAME,
    ]);
  });

  test.skipIf(noZstdTar)("pack output is read by the system tar: it extracts the very same bytes", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    const out = join(root, "cap.tar.zst");
    expect((await runCli(["snapshot", src, "--output", out], { target })).code).toBe(0);
    mkdirSync(join(root, "by-tar"));
    expect(Bun.spawnSync(["tar", "--zstd", "-xf", out, "-C", join(root, "by-tar")]).exitCode).toBe(0);
    expect(tree(join(root, "by-tar"))).toEqual(tree(src));
  });

  test("pack --json: {bytes, operation, output, source} on stdout, keys sorted, nothing on stderr", async () => {
    const root = tempDir();
    const src = makeCapture(join(root, "cap"));
    const out = join(root, "a&b.tar.zst");
    const r = await runCli(["snapshot", src, "-o", out, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`{"bytes":${statSync(out).size},"operation":"pack","output":"${out.replace("&", "\\u0026")}","source":"${src}"}\n`);
  });

  test("round trip: extract gives byte-identical files, files 0600, directories 0700, mtimes kept", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    const archive = join(root, "cap.tar.zst");
    await runCli(["snapshot", src, "-o", archive], { target });
    const out = join(root, "restored", "here");
    const r = await runCli(["snapshot", archive, "--extract", "-o", out], { target });
    expect(r).toEqual({ code: 0, stdout: "", stderr: `Extracted to ${out}\n` });
    expect(tree(out)).toEqual(tree(src));
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "sub", "deeper")).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "metadata.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, LONG_NAME)).mode & 0o777).toBe(0o600);
    const srcTime = Math.floor(statSync(join(src, "index.jsonl")).mtimeMs / 1000);
    expect(Math.floor(statSync(join(out, "index.jsonl")).mtimeMs / 1000)).toBe(srcTime);
    const json = await runCli(["snapshot", archive, "--extract", "-o", join(root, "again"), "--json"], { target });
    expect(json).toEqual({ code: 0, stdout: `{"operation":"extract","output":"${join(root, "again")}","source":"${archive}"}\n`, stderr: "" });
  });

  test.skipIf(noZstdTar)("extract reads archives made by the system tar: ./ names, GNU long names, PAX long names", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    for (const format of ["gnu", "posix"]) {
      const archive = join(root, `${format}.tar.zst`);
      expect(Bun.spawnSync(["tar", "--zstd", `--format=${format}`, "-C", src, "-cf", archive, "."]).exitCode).toBe(0);
      const out = join(root, `out-${format}`);
      const r = await runCli(["snapshot", archive, "--extract", "-o", out], { target });
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 0, stderr: `Extracted to ${out}\n` });
      expect(tree(out)).toEqual(tree(src));
    }
  });

  test("a capture that never rotated (no index.jsonl) round-trips (upstream refused it)", async () => {
    const root = tempDir();
    const src = makeCapture(join(root, "cap"), { noIndex: true });
    await runCli(["snapshot", src, "-o", join(root, "s.tar.zst")], { target });
    const r = await runCli(["snapshot", join(root, "s.tar.zst"), "--extract", "-o", join(root, "out")], { target });
    expect(r.code).toBe(0);
    expect(tree(join(root, "out"))).toEqual(tree(src));
  });

  test("packing into the capture itself does not put the archive inside itself", async () => {
    const root = tempDir();
    const src = makeCapture(join(root, "cap"));
    const before = tree(src);
    expect((await runCli(["snapshot", src, "-o", join(src, "self.tar.zst")], { target })).code).toBe(0);
    const r = await runCli(["snapshot", join(src, "self.tar.zst"), "--extract", "-o", join(root, "out")], { target });
    expect(r.code).toBe(0);
    expect(tree(join(root, "out"))).toEqual(before);
  });

  test("an archive without a valid metadata.json is refused (exit 3) and leaves nothing", async () => {
    const root = tempDir();
    const cases: Array<[RawEntry[], RegExp]> = [
      [[{ name: "index.jsonl", body: "" }], /^error: extracted archive missing metadata\.json: open .*\/out\/metadata\.json: no such file or directory\n$/],
      [[{ name: "metadata.json", body: '{"started": "yesterday"}' }], /^error: invalid metadata\.json: /],
    ];
    for (const [entries, message] of cases) {
      writeFileSync(join(root, "a.tar.zst"), tarZst(entries));
      const r = await runCli(["snapshot", join(root, "a.tar.zst"), "--extract", "-o", join(root, "out")], { target });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(root)).toEqual(["a.tar.zst"]);
    }
  });

  describe("hostile archives are refused whole: exit 1, nothing written inside or outside the output", () => {
    const cases: Array<[string, (root: string) => RawEntry[], RegExp]> = [
      ["../escaped", () => [{ name: "../escaped", body: "pwned" }], /^error: invalid path in archive: \.\.\/escaped\n$/],
      ["a/../../escaped", () => [{ name: "a/", type: "5" }, { name: "a/../../escaped", body: "pwned" }], /^error: invalid path in archive: a\/\.\.\/\.\.\/escaped\n$/],
      ["an absolute path", (root) => [{ name: `${root}/escaped`, body: "pwned" }], /^error: invalid path in archive: \/.*\/escaped\n$/],
      ["a PAX path escaping", () => [paxPath("../escaped"), { name: "harmless", body: "pwned" }], /^error: invalid path in archive: \.\.\/escaped\n$/],
      ["a GNU long name escaping", () => [{ name: "././@LongLink", type: "L", body: "../escaped\0" }, { name: "harmless", body: "pwned" }], /^error: invalid path in archive: \.\.\/escaped\n$/],
      ["a ustar prefix escaping", () => [{ name: "escaped", prefix: "..", body: "pwned" }], /^error: invalid path in archive: \.\.\/escaped\n$/],
      ["a symlink out, then a file through it", (root) => [{ name: "link", type: "2", linkname: root }, { name: "link/escaped", body: "pwned" }], /^error: refusing archive: symbolic link link -> \/.* \(only regular files and directories are extracted\)\n$/],
      ["a hard link", (root) => [{ name: "hl", type: "1", linkname: `${root}/archive.tar.zst` }], /^error: refusing archive: hard link hl -> /],
      ["a character device", () => [{ name: "null", type: "3" }], /^error: refusing archive: character device null /],
      ["a FIFO", () => [{ name: "pipe", type: "6" }], /^error: refusing archive: FIFO pipe /],
      ["an unknown entry type", () => [{ name: "vol", type: "V" }], /^error: refusing archive: entry of type 'V' vol /],
    ];
    for (const [what, entries, message] of cases) {
      test(what, async () => {
        const root = tempDir();
        const archive = join(root, "archive.tar.zst");
        writeFileSync(archive, tarZst([METADATA, { name: "index.jsonl", body: "" }, ...entries(root), { name: "after.txt", body: "later" }]));
        const out = join(root, "out");
        const r = await runCli(["snapshot", archive, "--extract", "-o", out], { target });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(message);
        expect(existsSync(join(root, "escaped"))).toBe(false);
        expect(readdirSync(root)).toEqual(["archive.tar.zst"]);
        // Into an existing empty directory: it stays empty.
        mkdirSync(out);
        expect((await runCli(["snapshot", archive, "--extract", "-o", out, "--json"], { target })).code).toBe(1);
        expect(readdirSync(out)).toEqual([]);
        expect(existsSync(join(root, "escaped"))).toBe(false);
      });
    }
  });

  test("damaged archives fail (exit 1) and leave nothing: truncated, not zstd, not tar, tar without its end", async () => {
    const root = tempDir();
    const src = makeRichCapture(join(root, "cap"));
    await runCli(["snapshot", src, "-o", join(root, "good.tar.zst")], { target });
    const good = readFileSync(join(root, "good.tar.zst"));
    const bad: Array<[string, Uint8Array]> = [
      ["truncated", good.subarray(0, Math.floor(good.length / 2))],
      ["not zstd", Buffer.from("this is not an archive at all\n")],
      ["not tar", Bun.zstdCompressSync(Buffer.from("x".repeat(2048)))],
      ["tar cut between entries", Bun.zstdCompressSync(tarBytes([METADATA, { name: "index.jsonl", body: "" }]).subarray(0, -1024))],
    ];
    for (const [what, bytes] of bad) {
      writeFileSync(join(root, "bad.tar.zst"), bytes);
      const r = await runCli(["snapshot", join(root, "bad.tar.zst"), "--extract", "-o", join(root, "out")], { target });
      expect({ what, code: r.code }).toEqual({ what, code: 1 });
      expect(r.stderr).toMatch(/^error: read archive .*bad\.tar\.zst: .+\n$/);
      expect(existsSync(join(root, "out"))).toBe(false);
    }
  });

  test("usage and missing inputs: --output required (2), not a capture (3), missing archive (3), occupied outputs (2)", async () => {
    const root = tempDir();
    const src = makeCapture(join(root, "cap"));
    expect(await runCli(["snapshot", src], { target })).toEqual({ code: 2, stdout: "", stderr: "error: --output is required\n" });
    expect(JSON.parse((await runCli(["snapshot", src, "--json"], { target })).stderr)).toEqual({
      exit_code: 2,
      error: "invalid_args",
      message: "--output is required",
      recoverable: false,
    });
    mkdirSync(join(root, "plain"));
    const notCapture = await runCli(["snapshot", join(root, "plain"), "-o", join(root, "x.tar.zst")], { target });
    expect(notCapture).toEqual({
      code: 3,
      stdout: "",
      stderr: `error: not a capture directory (missing metadata.json): stat ${root}/plain/metadata.json: no such file or directory\n`,
    });
    expect(existsSync(join(root, "x.tar.zst"))).toBe(false);
    const noArchive = await runCli(["snapshot", join(root, "nope.tar.zst"), "--extract", "-o", join(root, "out")], { target });
    expect(noArchive).toEqual({ code: 3, stdout: "", stderr: `error: open archive: open ${root}/nope.tar.zst: no such file or directory\n` });
    expect((await runCli(["snapshot", src, "-o", root], { target })).code).toBe(2);
    await runCli(["snapshot", src, "-o", join(root, "s.tar.zst")], { target });
    const occupied = await runCli(["snapshot", join(root, "s.tar.zst"), "--extract", "-o", src], { target });
    expect(occupied.code).toBe(2);
    expect(occupied.stderr).toBe(`error: --output ${src} is not empty; extract into a new or empty directory\n`);
    expect((await runCli(["snapshot", src, "two", "-o", "x"], { target })).code).toBe(2);
  });
});
