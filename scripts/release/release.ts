/**
 * `npm run release`: logtap (and, for Linux, logtap-forwarder) for every platform in scripts/release/targets.ts,
 * built offline on the Bun runtimes the lock pins (runtimes.ts) from one snapshot of the sources (snapshot.ts),
 * packed reproducibly (pack.ts) as the archives scripts/install.sh downloads, with SHA256SUMS. docs/release.md has
 * the whole story.
 *
 *   npm run release [-- --targets linux-x64,linux-arm64] [--out dist/release] [--offline]
 */

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sha256Sums } from "./checksums.ts";
import { tarGz, type ArchiveFile } from "./pack.ts";
import { DEFAULT_CACHE, pinnedRuntime, ROOT, unpackRuntime, verifiedTarball } from "./runtimes.ts";
import { snapshotSources } from "./snapshot.ts";
import { archiveName, selectTargets, type ReleaseTarget } from "./targets.ts";

const { values: opts } = parseArgs({
  options: { targets: { type: "string" }, out: { type: "string", default: join(ROOT, "dist", "release") }, offline: { type: "boolean", default: false } },
});
const targets = selectTargets(opts.targets);
const out = opts.out!;
const cache = process.env.LOGTAP_RUNTIME_CACHE || DEFAULT_CACHE;
const started = performance.now();

function git(...args: string[]): string | null {
  const r = Bun.spawnSync(["git", ...args], { cwd: ROOT, stderr: "ignore" });
  return r.exitCode === 0 ? r.stdout.toString().trim() : null;
}

// One commit and one time for every build and archive entry, read once (teammates may commit meanwhile): the
// commit's time, so a rebuild of the same commit matches byte for byte.
const commit = process.env.LOGTAP_BUILD_COMMIT || git("rev-parse", "--short", "HEAD");
const epoch = process.env.SOURCE_DATE_EPOCH || git("log", "-1", "--format=%ct");
if (!commit || !epoch || !/^\d+$/.test(epoch)) {
  throw new Error("no commit: run inside the git checkout or set LOGTAP_BUILD_COMMIT and SOURCE_DATE_EPOCH");
}
if (git("status", "--porcelain")) {
  console.error(`warning: the working tree differs from ${commit}; the release is built from it as it is now`);
}
const env = { ...process.env, LOGTAP_BUILD_COMMIT: commit, SOURCE_DATE_EPOCH: epoch, NO_COLOR: "1" };

/** Where each shell looks for a completion file of its own name; the README says how to install them. */
const COMPLETIONS = [
  { shell: "bash", file: "completions/logtap.bash" },
  { shell: "zsh", file: "completions/_logtap" },
  { shell: "fish", file: "completions/logtap.fish" },
];

/** What `logtap completion <shell>` prints, run from the sources: the same text on every platform. */
function completion(src: string, shell: string): string {
  const r = Bun.spawnSync([process.execPath, "src/cli/main.ts", "completion", shell], { cwd: src, env });
  if (r.exitCode !== 0) throw new Error(`logtap completion ${shell} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

async function build(target: ReleaseTarget, src: string, work: string): Promise<{ logtap: string; forwarder?: string }> {
  const dir = join(work, "bin", target.name);
  mkdirSync(dir, { recursive: true });
  const runtime = join(work, `bun-${target.name}`);
  await unpackRuntime(await verifiedTarball(pinnedRuntime(target.runtimePackage), cache, opts.offline!), runtime);
  // The outfile's name is baked into the executable (`/$bunfs/root/<name>`), so it is the name users run.
  const logtap = join(dir, "logtap");
  // scripts/build.ts builds the forwarder from forwarder/main.ts; a tree without it releases logtap alone.
  const forwarder = target.forwarder && existsSync(join(src, "forwarder/main.ts")) ? join(dir, "logtap-forwarder") : undefined;
  const r = Bun.spawnSync(
    [
      process.execPath, "scripts/build.ts",
      "--target", target.bunTarget, "--runtime", runtime,
      "--outfile", logtap,
      ...(forwarder ? ["--forwarder-outfile", forwarder] : []),
    ],
    { cwd: src, env, stdout: "inherit", stderr: "inherit" },
  );
  rmSync(runtime);
  if (r.exitCode !== 0) throw new Error(`build for ${target.name} failed`);
  return { logtap, forwarder };
}

/** The files this script writes, so a rerun removes stale ones and nothing else in `out`. */
const OURS = /^(logtap|logtap-forwarder)_[a-z0-9_]+\.tar\.gz$|^SHA256SUMS$|^install\.sh$/;

mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (OURS.test(f)) rmSync(join(out, f));
const work = mkdtempSync(join(tmpdir(), "logtap-release-"));
try {
  const src = join(work, "src");
  snapshotSources(ROOT, src);
  const docs: ArchiveFile[] = [{ path: "README.md", source: join(src, "README.md"), executable: false }];
  mkdirSync(join(work, "completions"));
  for (const c of COMPLETIONS) {
    writeFileSync(join(work, c.file), completion(src, c.shell));
    docs.push({ path: c.file, source: join(work, c.file), executable: false });
  }
  const written: string[] = [];
  for (const target of targets) {
    const t0 = performance.now();
    const bins = await build(target, src, work);
    const archives: [string, ArchiveFile[]][] = [[archiveName("logtap", target), [{ path: "logtap", source: bins.logtap, executable: true }, ...docs]]];
    if (bins.forwarder) {
      archives.push([archiveName("logtap-forwarder", target), [{ path: "logtap-forwarder", source: bins.forwarder, executable: true }, docs[0]!]]);
    }
    for (const [name, files] of archives) {
      await Bun.write(join(out, name), await tarGz(files, Number(epoch)));
      written.push(join(out, name));
    }
    rmSync(join(work, "bin", target.name), { recursive: true });
    console.error(`${target.name}: ${archives.map(([n]) => n).join(", ")} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  copyFileSync(join(src, "scripts/install.sh"), join(out, "install.sh"));
  written.push(join(out, "install.sh"));
  writeFileSync(join(out, "SHA256SUMS"), sha256Sums(written));
  for (const f of written) console.log(`${(statSync(f).size / 2 ** 20).toFixed(1).padStart(6)} MiB  ${f}`);
  console.error(`release ${commit} in ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
