/**
 * Builds dist/logtap: one executable (`bun build --compile`), code split per subcommand so start-up only loads
 * what the command needs, with the commit and build date baked in.
 */

import { mkdirSync } from "node:fs";

const git = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { stderr: "ignore" });
const commit = git.exitCode === 0 ? git.stdout.toString().trim() : "none";
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");

mkdirSync("dist", { recursive: true });
const build = Bun.spawnSync(
  [
    process.execPath, "build", "src/cli/main.ts",
    // Worker entry points are bundled only when listed (Bun's --compile docs); src/workers/bundled-worker-url.ts finds them.
    "src/analysis/triage/scan-worker.ts",
    "src/server/push-decode-worker.ts",
    "src/capture/reader/frame-search-worker.ts",
    "--compile", "--splitting", "--minify", "--bytecode", "--format=esm",
    "--outfile", "dist/logtap",
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
console.error(`built dist/logtap (${commit}, ${date})`);
