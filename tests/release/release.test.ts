/**
 * `npm run release` end to end: one build of the whole matrix (about 3 minutes of CPU on CI's 2 cores, the one slow
 * file of the suite; cheaper parts live in pack.test.ts and runtimes.test.ts), made without a network. Checked:
 * SHA256SUMS, what each archive holds, the format of every binary, the linux-x64 binary running from its archive
 * (and the arm64 one under qemu) through a capture round trip, and scripts/install.sh against a local server.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { archiveName, TARGETS, type ReleaseTarget } from "../../scripts/release/targets.ts";
import { readTar } from "../../src/archive/tar/tar-reader.ts";
import { runCli, type CliTarget } from "../support/cli.ts";
import { requirePeer } from "../support/peer.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { buildRelease, type BuiltRelease } from "./build-release.ts";
import { execFormat } from "./exec-format.ts";
import { serveDir } from "./serve-dir.ts";

const QEMU = "qemu-aarch64-static";
/** Debian's libc6-arm64-cross: the arm64 loader and libc the dynamically linked binary needs under qemu. */
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";
const skipArm64 = requirePeer(QEMU, Bun.which(QEMU) !== null && existsSync(join(ARM64_SYSROOT, "lib/ld-linux-aarch64.so.1")), {
  debian: "qemu-user-static libc6-arm64-cross",
  skipped: "running the linux-arm64 binaries",
});

let release: BuiltRelease;
/** Unpacked archives, install prefixes and mirrors: one folder, removed at the end. */
const scratch = tempDir("logtap-release-scratch-");

beforeAll(async () => {
  release = await buildRelease();
}, 30 * 60_000);

afterAll(() => {
  if (release) rmSync(release.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const archives = (t: ReleaseTarget) => [archiveName("logtap", t), ...(t.forwarder ? [archiveName("logtap-forwarder", t)] : [])];

/** Unpacks an archive with GNU tar (not our reader) into its own folder, once. */
function unpack(archive: string): string {
  const dir = join(scratch, archive);
  if (!existsSync(dir)) {
    mkdirSync(dir);
    const r = Bun.spawnSync(["tar", "-xzf", join(release.dir, archive), "-C", dir], { stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`tar -xzf ${archive}: ${r.stderr.toString()}`);
  }
  return dir;
}

/** One file of an archive, read with our tar reader into memory (saves unpacking every 130 MB binary to disk). */
async function member(archive: string, name: string): Promise<Uint8Array> {
  const stream = Bun.file(join(release.dir, archive)).stream().pipeThrough(new DecompressionStream("gzip"));
  for await (const { entry, body } of readTar(stream)) {
    if (entry.name !== name) continue;
    const pieces: Uint8Array[] = [];
    for await (const piece of body) pieces.push(piece);
    return Buffer.concat(pieces);
  }
  throw new Error(`${archive} has no ${name}`);
}

async function entries(archive: string) {
  const stream = Bun.file(join(release.dir, archive)).stream().pipeThrough(new DecompressionStream("gzip"));
  const out: { name: string; kind: string; mode: number; mtime: number }[] = [];
  for await (const { entry } of readTar(stream)) out.push({ name: entry.name, kind: entry.kind, mode: entry.mode, mtime: entry.mtime });
  return out;
}

function git(...args: string[]): string {
  return Bun.spawnSync(["git", ...args], { cwd: join(import.meta.dir, "../..") }).stdout.toString().trim();
}

/** A capture made by the binary under test: recv, one push, SIGTERM, then inspect and grep read it back. */
async function captureRoundTrip(cli: CliTarget): Promise<void> {
  const recv = await startReceiver([], { target: cli });
  const ts = `${Date.now()}000000`;
  const push = await fetch(`${recv.url}/loki/api/v1/push`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ streams: [{ stream: { app: "release" }, values: [[ts, "hello from the release"], [ts, "error: disk full"]] }] }),
  });
  expect(push.status).toBe(204);
  const stopped = await recv.stop("SIGTERM");
  expect(stopped.code).toBe(0);
  expect(stopped.stderr).toContain("done: 2 lines");
  const inspect = await runCli(["inspect", recv.dir, "--json"], { target: cli });
  expect(inspect.code).toBe(0);
  const summary = JSON.parse(inspect.stdout);
  expect(summary.total_lines).toBe(2);
  expect(summary.labels.app).toEqual([expect.objectContaining({ value: "release", lines: 2 })]);
  const grep = await runCli(["grep", "disk full", recv.dir], { target: cli });
  expect(grep.code).toBe(0);
  expect(grep.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).msg)).toEqual(["error: disk full"]);
}

describe("npm run release", () => {
  test("is built without a network", () => {
    // build-release.ts ran it in `unshare -n`; off CI a machine that refuses namespaces said so on stderr.
    if (process.env.CI) expect(release.isolated).toBe(true);
    for (const t of TARGETS) expect(release.log).toContain(`${t.name}: ${archives(t).join(", ")}`);
  });

  test("SHA256SUMS names every archive and install.sh, and sha256sum -c accepts it", () => {
    const sums = readFileSync(join(release.dir, "SHA256SUMS"), "utf8");
    const names = sums.trimEnd().split("\n").map((l) => l.split("  ")[1]);
    const expected = [...TARGETS.flatMap(archives), "install.sh"].sort();
    expect(names).toEqual(expected);
    expect(readdirSync(release.dir).sort()).toEqual([...expected, "SHA256SUMS"].sort());
    const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: release.dir });
    expect(check.stdout.toString().trim().split("\n")).toEqual(expected.map((n) => `${n}: OK`));
    expect(check.exitCode).toBe(0);
  });

  test("the archives are named as the README's quick start downloads them", () => {
    const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
    for (const name of ["logtap_darwin_arm64.tar.gz", "logtap_linux_amd64.tar.gz"]) {
      expect(readme).toContain(name);
      expect(existsSync(join(release.dir, name))).toBe(true);
    }
  });

  test("each archive holds the binary at its top, the README and the completion scripts, with fixed times and modes", async () => {
    const epoch = Number(git("show", "-s", "--format=%ct", release.log.match(/release (\w+) in/)![1]!));
    for (const t of TARGETS) {
      const logtap = await entries(archiveName("logtap", t));
      expect(logtap.map((e) => [e.name, e.kind, e.mode.toString(8)])).toEqual([
        ["README.md", "file", "644"],
        ["completions/", "directory", "755"],
        ["completions/_logtap", "file", "644"],
        ["completions/logtap.bash", "file", "644"],
        ["completions/logtap.fish", "file", "644"],
        ["logtap", "file", "755"],
      ]);
      expect(new Set(logtap.map((e) => e.mtime))).toEqual(new Set([epoch]));
      if (!t.forwarder) continue;
      const forwarder = await entries(archiveName("logtap-forwarder", t));
      expect(forwarder.map((e) => [e.name, e.mode.toString(8)])).toEqual([["README.md", "644"], ["logtap-forwarder", "755"]]);
    }
  });

  test("every binary is an executable of its platform (ELF interpreter, Mach-O CPU with a code signature)", async () => {
    for (const t of TARGETS) {
      const bins: [string, string][] = [[archiveName("logtap", t), "logtap"]];
      if (t.forwarder) bins.push([archiveName("logtap-forwarder", t), "logtap-forwarder"]);
      for (const [archive, bin] of bins) {
        const format: Record<string, unknown> = execFormat(await member(archive, bin));
        const expected: Record<string, unknown> =
          t.format.kind === "elf"
            ? { kind: "elf", machine: t.format.machine, interpreter: t.format.interpreter }
            : { kind: "macho", cpu: t.format.cpu, codeSignature: true };
        expect({ archive, ...format }).toEqual({ archive, ...expected });
      }
    }
  });
});

describe("linux-x64 archive", () => {
  const cli = (): CliTarget => ({ name: "release linux-x64", cmd: [join(unpack("logtap_linux_amd64.tar.gz"), "logtap")] });

  test("--version, and version --json names the commit and the commit's time", async () => {
    const short = await runCli(["--version"], { target: cli() });
    expect(short).toMatchObject({ code: 0, stdout: expect.stringMatching(/^logtap \d+\.\d+\.\d+/) });
    const v = JSON.parse((await runCli(["version", "--json"], { target: cli() })).stdout);
    expect(v.goVersion).toBe(`bun ${Bun.version}`);
    const when = Number(git("show", "-s", "--format=%ct", v.commit));
    expect(v.date).toBe(new Date(when * 1000).toISOString().replace(/\.\d+Z$/, "Z"));
  });

  test("the completion scripts are what the binary prints", async () => {
    const dir = unpack("logtap_linux_amd64.tar.gz");
    for (const [shell, file] of [["bash", "logtap.bash"], ["zsh", "_logtap"], ["fish", "logtap.fish"]] as const) {
      const printed = await runCli(["completion", shell], { target: cli() });
      expect(readFileSync(join(dir, "completions", file), "utf8")).toBe(printed.stdout);
    }
  });

  test("a capture round trip: recv, push, SIGTERM, inspect and grep", async () => {
    await captureRoundTrip(cli());
  });

  test("logtap-forwarder answers version", async () => {
    const fwd = join(unpack("logtap-forwarder_linux_amd64.tar.gz"), "logtap-forwarder");
    const r = Bun.spawnSync([fwd, "version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toMatch(/^logtap-forwarder \d+\.\d+\.\d+ \(\w+\)\n$/);
  });
});

describe.skipIf(skipArm64)("linux-arm64 archive under qemu", () => {
  const qemu = (bin: string) => [QEMU, "-L", ARM64_SYSROOT, bin];
  const cli = (): CliTarget => ({ name: "release linux-arm64", cmd: qemu(join(unpack("logtap_linux_arm64.tar.gz"), "logtap")) });

  test("--version", async () => {
    expect(await runCli(["--version"], { target: cli() })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^logtap \d+\.\d+\.\d+/) });
  });

  test("a capture round trip: recv, push, SIGTERM, inspect and grep", async () => {
    await captureRoundTrip(cli());
  });

  test("logtap-forwarder answers version", () => {
    const r = Bun.spawnSync(qemu(join(unpack("logtap-forwarder_linux_arm64.tar.gz"), "logtap-forwarder")).concat("version"));
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toMatch(/^logtap-forwarder \d+\.\d+\.\d+ \(\w+\)\n$/);
  });
});

describe("scripts/install.sh against the release on a local server", () => {
  /**
   * Runs the release's own install.sh (the copy in the download folder) with HOME inside the test's folder; not
   * spawnSync, which would block the event loop the test's server answers on.
   */
  async function install(args: string[], env: Record<string, string> = {}) {
    const home = mkdtempSync(join(scratch, "home-"));
    const proc = Bun.spawn(["sh", join(release.dir, "install.sh"), ...args], {
      env: { PATH: process.env.PATH!, HOME: home, TMPDIR: home, ...env },
      stdout: "ignore",
      stderr: "pipe",
    });
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    return { code, stderr };
  }

  test("detects linux_amd64, checks the checksum and installs a working binary into the prefix", async () => {
    const server = serveDir(release.dir);
    try {
      const prefix = join(mkdtempSync(join(scratch, "install-")), "bin");
      const r = await install(["--base-url", server.url, "--prefix", prefix]);
      expect(r.stderr).toContain(`installed logtap `);
      expect(r.code).toBe(0);
      expect(server.requests).toEqual(["SHA256SUMS", "logtap_linux_amd64.tar.gz"]);
      expect(readdirSync(prefix)).toEqual(["logtap"]);
      expect((await runCli(["--version"], { target: { name: "installed", cmd: [join(prefix, "logtap")] } })).code).toBe(0);
      // The environment variables do the same as the flags.
      const again = await install([], { LOGTAP_RELEASE_URL: server.url, LOGTAP_INSTALL_DIR: join(prefix, "env") });
      expect(again.code).toBe(0);
      expect(existsSync(join(prefix, "env", "logtap"))).toBe(true);
    } finally {
      server.stop();
    }
  });

  test("refuses a tampered archive and installs nothing", async () => {
    const mirror = mkdtempSync(join(scratch, "tampered-"));
    for (const f of readdirSync(release.dir)) Bun.spawnSync(["cp", join(release.dir, f), mirror]);
    const archive = join(mirror, "logtap_linux_amd64.tar.gz");
    const bytes = readFileSync(archive);
    bytes[bytes.length - 100]! ^= 0xff;
    await Bun.write(archive, bytes);
    const server = serveDir(mirror);
    try {
      const prefix = join(mirror, "bin");
      const r = await install(["--base-url", server.url, "--prefix", prefix]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("checksum mismatch for logtap_linux_amd64.tar.gz");
      expect(existsSync(prefix)).toBe(false);
    } finally {
      server.stop();
    }
  });

  test("refuses a platform the release has no archive for", async () => {
    const server = serveDir(release.dir);
    try {
      const prefix = join(mkdtempSync(join(scratch, "install-")), "bin");
      const missing = await install(["--base-url", server.url, "--prefix", prefix, "--platform", "freebsd_amd64"]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("SHA256SUMS has no line for logtap_freebsd_amd64.tar.gz");
      expect(existsSync(prefix)).toBe(false);
    } finally {
      server.stop();
    }
  });
});
