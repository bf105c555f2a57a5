/**
 * Builds the executables (`bun build --compile`), each with the commit and build date baked in:
 * - dist/logtap: code split per subcommand so start-up only loads what the command needs;
 * - dist/logtap-forwarder: the sidecar tap injects, from forwarder/main.ts (docs/benchmarks.md, Forwarder, for why
 *   it is a binary of its own).
 * Without options both go to dist/; `--outfile PATH` and/or `--forwarder-outfile PATH` build only what they name
 * (a benchmark's own copy while teammates rebuild dist/, an image's build stage).
 * The commit is LOGTAP_BUILD_COMMIT when set (an image build has no .git; a release stamps one commit on all its
 * builds while teammates commit), else `git`'s, else "none".
 */

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { COMPILE_FLAGS } from "./compile-flags.ts";

const { values: opts } = parseArgs({
  options: { outfile: { type: "string" }, "forwarder-outfile": { type: "string" }, target: { type: "string" }, runtime: { type: "string" } },
});
const named = opts.outfile !== undefined || opts["forwarder-outfile"] !== undefined;
const logtapOut = named ? opts.outfile : "dist/logtap";
const forwarderOut = named ? opts["forwarder-outfile"] : "dist/logtap-forwarder";

const git = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { stderr: "ignore" });
const commit = process.env.LOGTAP_BUILD_COMMIT || (git.exitCode === 0 ? git.stdout.toString().trim() : "none");
// SOURCE_DATE_EPOCH (reproducible-builds.org) makes a rebuild byte-identical; npm run release sets the commit's time.
const epoch = process.env.SOURCE_DATE_EPOCH;
const date = new Date(epoch ? Number(epoch) * 1000 : Date.now()).toISOString().replace(/\.\d+Z$/, "Z");
// Another platform (`--target bun-linux-arm64`) is built on that platform's Bun runtime given as `--runtime`
// (scripts/release/runtimes.ts), so nothing is downloaded.
const cross = [...(opts.target ? [`--target=${opts.target}`] : []), ...(opts.runtime ? [`--compile-executable-path=${opts.runtime}`] : [])];

/**
 * @opentui/core picks its native library by a dynamic import of `@opentui/core-<os>-<arch>[-musl]`; the bundler
 * keeps the branches of the target's os and arch, and embeds what they import. Only the target's own package, when
 * node_modules has it, is embedded: the registry serves @opentui/core 0.8.1's natives for linux-x64 (glibc) alone,
 * so on the other targets the import stays external, fails at run time, and the TUI falls back to plain output.
 */
function tuiExternals(): string[] {
  const own = `@opentui/core-${opts.target ? opts.target.replace(/^bun-/, "") : `${process.platform}-${process.arch}`}`;
  const natives = Object.keys(JSON.parse(readFileSync("node_modules/@opentui/core/package.json", "utf8")).optionalDependencies);
  return natives.filter((p) => p !== own || !existsSync(`node_modules/${p}`));
}

function compile(entries: string[], outfile: string, extra: string[] = []): void {
  mkdirSync(dirname(outfile), { recursive: true });
  const build = Bun.spawnSync(
    [
      process.execPath, "build", ...entries,
      ...COMPILE_FLAGS,
      ...cross,
      "--outfile", outfile,
      "--define", `LOGTAP_COMMIT=${JSON.stringify(commit)}`,
      "--define", `LOGTAP_BUILD_DATE=${JSON.stringify(date)}`,
      ...extra,
    ],
    { stdout: "inherit", stderr: "inherit" },
  );
  if (build.exitCode !== 0) {
    console.error(`build of ${outfile} failed`);
    process.exit(1);
  }
  console.error(`built ${outfile} (${commit}, ${date})`);
}

if (logtapOut !== undefined) {
  compile(
    [
      "src/cli/main.ts",
      // Worker entry points are bundled only when listed (Bun's --compile docs); src/workers/bundled-worker-url.ts finds them.
      "src/analysis/triage/scan-worker.ts",
      "src/server/push-decode-worker.ts",
      "src/capture/reader/frame-search-worker.ts",
    ],
    logtapOut,
    tuiExternals().flatMap((p) => ["--external", p]),
  );
}
if (forwarderOut !== undefined) compile(["forwarder/main.ts"], forwarderOut);
