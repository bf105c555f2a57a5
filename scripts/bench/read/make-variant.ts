/**
 * Builds a throw-away copy of the repository under /tmp with the read-side fixes proposed in
 * docs/benchmarks.md applied, and compiles it — so each fix is measured end to end (same benchmark, same
 * capture) without touching the product tree. Prints the binary's path; pass it to run.ts as --binary.
 *
 * Run: node_modules/.bin/bun scripts/bench/read/make-variant.ts [--dir /tmp/logtap-read-variant] [--only intern]
 *
 *   intern  src/capture/entry-line.ts: the interned labels key is a slice of the line, and the line a slice of the
 *           whole decompressed frame text; JavaScriptCore substrings keep their base string alive, so every
 *           interned label set pinned a ~1 MiB frame string for the rest of the process (up to 10,000 of them).
 *           Store a flat copy of the key instead (once per new label set).
 */

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: { dir: { type: "string", default: "/tmp/logtap-read-variant" }, only: { type: "string", default: "intern" } },
});
const dir = resolve(args.dir!);
const parts = new Set(args.only!.split(","));
if (!dir.startsWith("/tmp/")) throw new Error("the variant must live under /tmp");

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const name of ["src", "pipeline", "scripts", "package.json", "tsconfig.json", "bunfig.toml"]) {
  if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(dir, name), { recursive: true });
}
symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));

function patch(file: string, edit: (text: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`patch did not apply to ${file}`);
  writeFileSync(path, after);
}

if (parts.has("intern")) {
  patch("src/capture/entry-line.ts", (t) =>
    t.replace(
      "    internedLabels.set(key, labels);",
      "    // A flat copy: `key` is a substring of the whole frame text, which it would keep alive.\n" +
        '    internedLabels.set(Buffer.from(key, "utf8").toString("utf8"), labels);',
    ),
  );
}

const b = Bun.spawnSync([process.execPath, "scripts/build.ts"], { cwd: dir, stdout: "inherit", stderr: "inherit" });
if (b.exitCode !== 0) throw new Error("variant build failed");
console.log(join(dir, "dist/logtap"));
