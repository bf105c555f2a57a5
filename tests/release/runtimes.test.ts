/** The Bun runtimes a release is built on: pinned by the lock, checked on every use, only `bin/bun` unpacked. */

import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tarGz } from "../../scripts/release/pack.ts";
import { integrityOf, pinnedRuntime, tarballName, unpackRuntime, verifiedTarball, type PinnedPackage } from "../../scripts/release/runtimes.ts";
import { TARGETS } from "../../scripts/release/targets.ts";
import { tempDir } from "../support/receiver-process.ts";

const dir = tempDir("logtap-runtimes-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the lock pins every target's runtime package at the version of the Bun that compiles", () => {
  for (const t of TARGETS) {
    const p = pinnedRuntime(t.runtimePackage);
    expect(p.version).toBe(Bun.version);
    expect(p.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  }
  expect(() => pinnedRuntime("@oven/bun-plan9-mips")).toThrow("package-lock.json has no version and integrity for @oven/bun-plan9-mips");
});

test("npm pack's file name", () => {
  expect(tarballName({ name: "@oven/bun-linux-aarch64", version: "1.4.5", integrity: "" })).toBe("oven-bun-linux-aarch64-1.4.5.tgz");
});

async function fakePackage(files: { path: string; body: string }[]): Promise<Uint8Array> {
  for (const [i, f] of files.entries()) writeFileSync(join(dir, `src-${i}`), f.body);
  return tarGz(files.map((f, i) => ({ path: f.path, source: join(dir, `src-${i}`), executable: false })), 0);
}

test("a cached tarball is used only when its sha512 is the lock's; a wrong one is removed", async () => {
  const cache = join(dir, "cache");
  const bytes = await fakePackage([{ path: "package/bin/bun", body: "runtime" }]);
  const pin: PinnedPackage = { name: "@logtap-test/runtime", version: "1.0.0", integrity: integrityOf(bytes) };
  await Bun.write(join(cache, tarballName(pin)), bytes);
  expect(Buffer.from(await verifiedTarball(pin, cache, true)).equals(Buffer.from(bytes))).toBe(true);

  const tampered = Uint8Array.from(bytes);
  tampered[20]! ^= 1;
  await Bun.write(join(cache, tarballName(pin)), tampered);
  await expect(verifiedTarball(pin, cache, true)).rejects.toThrow(`is not @logtap-test/runtime@1.0.0: its sha512 is ${integrityOf(tampered)}, the lock pins ${pin.integrity}`);
  expect(existsSync(join(cache, tarballName(pin)))).toBe(false);
});

test("offline with an empty cache it says which file to put where", async () => {
  const cache = join(dir, "empty-cache");
  const pin: PinnedPackage = { name: "@logtap-test/not-published", version: "1.0.0", integrity: "sha512-x" };
  await expect(verifiedTarball(pin, cache, true)).rejects.toThrow(`copy logtap-test-not-published-1.0.0.tgz (sha512-x) into ${cache}`);
});

test("only package/bin/bun is unpacked, executable", async () => {
  const tgz = await fakePackage([
    { path: "package/README.md", body: "readme" },
    { path: "package/bin/bun", body: "the runtime" },
    { path: "package/package.json", body: "{}" },
  ]);
  const dest = join(dir, "bun");
  await unpackRuntime(new Uint8Array(tgz), dest);
  expect(readFileSync(dest, "utf8")).toBe("the runtime");
  expect(statSync(dest).mode & 0o777).toBe(0o755);
  const empty = await fakePackage([{ path: "package/package.json", body: "{}" }]);
  await expect(unpackRuntime(new Uint8Array(empty), join(dir, "none"))).rejects.toThrow("the package holds no package/bin/bun");
});
