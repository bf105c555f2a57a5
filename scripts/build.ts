/**
 * Builds dist/logtap (or `--outfile PATH`): one executable (`bun build --compile`), code split per subcommand so
 * start-up only loads what the command needs, with the commit and build date baked in.
 */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { COMPILE_FLAGS } from "./compile-flags.ts";

// A benchmark builds its own copy: teammates rebuild dist/logtap while it runs.
const { values: opts } = parseArgs({ options: { outfile: { type: "string", default: "dist/logtap" } } });
const outfile = opts.outfile!;

const git = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { stderr: "ignore" });
const commit = git.exitCode === 0 ? git.stdout.toString().trim() : "none";
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");

mkdirSync(dirname(outfile), { recursive: true });
const build = Bun.spawnSync(
  [
    process.execPath, "build", "src/cli/main.ts",
    // Worker entry points are bundled only when listed (Bun's --compile docs); src/workers/bundled-worker-url.ts finds them.
    "src/analysis/triage/scan-worker.ts",
    "src/server/push-decode-worker.ts",
    "src/capture/reader/frame-search-worker.ts",
    ...COMPILE_FLAGS,
    "--outfile", outfile,
    "--define", `LOGTAP_COMMIT=${JSON.stringify(commit)}`,
    "--define", `LOGTAP_BUILD_DATE=${JSON.stringify(date)}`,
    // @opentui/core picks its native library by a dynamic import; only the glibc one is ours to embed.
    "--external", "@opentui/core-linux-x64-musl",
  ],
  { stdout: "inherit", stderr: "inherit" },
);
if (build.exitCode !== 0) {
  console.error("build failed");
  process.exit(1);
}
console.error(`built ${outfile} (${commit}, ${date})`);
