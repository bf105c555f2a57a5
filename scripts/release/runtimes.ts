/**
 * The Bun runtime each target's executable is built on, taken from the `@oven/bun-<platform>` npm packages instead
 * of the download `bun build --compile --target` would otherwise make. package-lock.json pins them: they are the
 * `bun` devDependency's optional dependencies, so the lock holds each one's version and sha512 even though npm
 * installs only the host's. A package is fetched once with `npm pack` into a cache directory (npm answers from its
 * own cache when it can), checked against the lock's sha512 every time it is used, and only its `bin/bun` unpacked.
 * A machine without a network builds from a cache directory filled elsewhere (LOGTAP_RUNTIME_CACHE).
 */

import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readTar } from "../../src/archive/tar/tar-reader.ts";

export const ROOT = join(import.meta.dir, "..", "..");
export const DEFAULT_CACHE = join(ROOT, "node_modules", ".cache", "logtap-release");

export interface PinnedPackage {
  name: string;
  version: string;
  /** Subresource-integrity text from the lock, `sha512-<base64>`. */
  integrity: string;
}

/** The lock's pin for `name`, which must be the version of Bun doing the build: the runtime is the compiler's twin. */
export function pinnedRuntime(name: string): PinnedPackage {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry?.integrity) throw new Error(`package-lock.json has no version and integrity for ${name}`);
  if (entry.version !== Bun.version) {
    throw new Error(`package-lock.json pins ${name}@${entry.version} but this is Bun ${Bun.version}: run npm install`);
  }
  return { name, version: entry.version, integrity: entry.integrity };
}

/** `npm pack`'s file name for a package: `@oven/bun-linux-x64@1.4.5` → `oven-bun-linux-x64-1.4.5.tgz`. */
export function tarballName(p: PinnedPackage): string {
  return `${p.name.replace(/^@/, "").replace("/", "-")}-${p.version}.tgz`;
}

export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/** The verified tarball's bytes, fetched into `cache` first when it is not there. */
export async function verifiedTarball(p: PinnedPackage, cache: string, offline: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const file = join(cache, tarballName(p));
  if (!existsSync(file)) {
    // Packed into a folder of its own and renamed into place, so a concurrent release never reads half a file.
    const staging = join(cache, `.pack-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    try {
      const npm = Bun.spawnSync(
        ["npm", "pack", `${p.name}@${p.version}`, "--pack-destination", staging, offline ? "--offline" : "--prefer-offline", "--silent"],
        { stdout: "ignore", stderr: "pipe" },
      );
      if (npm.exitCode !== 0 || !existsSync(join(staging, tarballName(p)))) {
        throw new Error(
          `cannot get ${p.name}@${p.version} (${npm.stderr.toString().trim().split("\n")[0] || "npm pack failed"}); ` +
            `without a network, copy ${tarballName(p)} (${p.integrity}) into ${cache}`,
        );
      }
      renameSync(join(staging, tarballName(p)), file);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const bytes = new Uint8Array(await Bun.file(file).arrayBuffer());
  const got = integrityOf(bytes);
  if (got !== p.integrity) {
    // A damaged or foreign file must not be used, nor kept for the next run.
    rmSync(file);
    throw new Error(`${file} is not ${p.name}@${p.version}: its sha512 is ${got}, the lock pins ${p.integrity} (removed it)`);
  }
  return bytes;
}

/** Unpacks the package's `bin/bun` from the tarball to `dest` (mode 0755). */
export async function unpackRuntime(tarball: Uint8Array<ArrayBuffer>, dest: string): Promise<void> {
  const stream = new Blob([tarball]).stream().pipeThrough(new DecompressionStream("gzip"));
  for await (const { entry, body } of readTar(stream)) {
    if (entry.kind !== "file" || entry.name !== "package/bin/bun") continue;
    const sink = Bun.file(dest).writer();
    for await (const piece of body) sink.write(piece);
    await sink.end();
    chmodSync(dest, 0o755);
    return;
  }
  throw new Error("the package holds no package/bin/bun");
}
