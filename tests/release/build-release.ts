/**
 * Builds a release the way `npm run release` does, into a temporary folder, with the proof that the build needs no
 * network: the runtimes are fetched (and checked) first, then scripts/release/release.ts runs `--offline` inside a
 * network namespace with no interfaces but loopback (`unshare -n`), where a download could not even resolve a name.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CACHE, pinnedRuntime, ROOT, verifiedTarball } from "../../scripts/release/runtimes.ts";
import { TARGETS } from "../../scripts/release/targets.ts";
import { requirePeer } from "../support/peer.ts";

export interface BuiltRelease {
  dir: string;
  /** release.ts's stderr: the build lines and timings. */
  log: string;
  /** Whether the build ran without a network (false only off CI, on a machine where unshare is refused). */
  isolated: boolean;
}

/** `unshare -n` needs root (CI and these machines); `-r` maps an unprivileged user to root in a new namespace. */
function isolation(): string[] | null {
  for (const cmd of [["unshare", "-n"], ["unshare", "-rn"]]) {
    if (Bun.spawnSync([...cmd, "true"], { stderr: "ignore" }).exitCode === 0) return cmd;
  }
  return null;
}

export async function buildRelease(): Promise<BuiltRelease> {
  const cache = process.env.LOGTAP_RUNTIME_CACHE || DEFAULT_CACHE;
  for (const t of TARGETS) await verifiedTarball(pinnedRuntime(t.runtimePackage), cache, false);
  const unshare = isolation();
  requirePeer("unshare -n", unshare !== null, { debian: "util-linux", skipped: "building the release without a network" });
  const dir = mkdtempSync(join(tmpdir(), "logtap-release-test-"));
  const proc = Bun.spawn([...(unshare ?? []), process.execPath, join(ROOT, "scripts/release/release.ts"), "--offline", "--out", dir], {
    cwd: ROOT,
    env: { ...process.env, LOGTAP_RUNTIME_CACHE: cache },
    stdout: "ignore",
    stderr: "pipe",
  });
  const [log, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`release.ts failed (${code}):\n${log}`);
  return { dir, log, isolated: unshare !== null };
}
