/**
 * What a clean clone needs from package.json and package-lock.json for `npm ci` and for an npm that blocks
 * unreviewed install scripts. (.ci/run also runs `npm ci --dry-run --strict-allow-scripts` for real.)
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/cli.ts";

interface LockEntry {
  version?: string;
  optional?: boolean;
  hasInstallScript?: boolean;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };

/** The lock entry `name` resolves to from the package at `from`, as node_modules lookup walks up. */
function resolveFrom(from: string, name: string): LockEntry | undefined {
  let dir = from;
  for (;;) {
    const hit = lock.packages[`${dir ? `${dir}/` : ""}node_modules/${name}`];
    if (hit) return hit;
    if (!dir) return undefined;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up < 0 ? "" : dir.slice(0, up);
  }
}

describe("npm install from a clean clone", () => {
  // npm 11 leaves out of the lock an optional dependency that the registry did not serve when the lock was written,
  // yet `npm ci` counts that very package as "Missing from lock file" and refuses to install on any platform.
  test("the lock holds every optional (platform) package of every locked package, at the version asked for", () => {
    const missing: string[] = [];
    for (const [at, entry] of Object.entries(lock.packages)) {
      for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
        const hit = resolveFrom(at, name);
        if (!hit || !Bun.semver.satisfies(hit.version ?? "", range)) missing.push(`${name}@${range} (for ${at || "the root"})`);
      }
    }
    expect(missing).toEqual([]);
  });

  // Bun itself arrives through its postinstall; an npm that skips unreviewed scripts leaves a bun that won't start.
  test("every dependency with an install script has an allowScripts decision, and bun's is to run it", () => {
    const decided = new Set(Object.keys(pkg.allowScripts ?? {}).map((k) => k.replace(/(.)@.*$/, "$1")));
    const scripted = Object.keys(lock.packages)
      .filter((at) => lock.packages[at]!.hasInstallScript)
      .map((at) => at.slice(at.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(scripted.filter((name) => !decided.has(name))).toEqual([]);
    expect(pkg.allowScripts?.bun).toBe(true);
  });
});
