/**
 * Builds a throw-away copy of the repository under /tmp in which the receiver's hot stages are swapped for
 * the candidates in ./candidates/ — so the proposed fix can be measured end to end without touching the product
 * tree. Prints the directory; pass it to run.ts as `--src DIR`.
 *
 * Run: node_modules/.bin/bun scripts/bench/ingest/make-variant.ts [--dir /tmp/logtap-variant] [--only snappy,decode]
 */

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: { dir: { type: "string", default: "/tmp/logtap-variant" }, only: { type: "string", default: "snappy,decode" } },
});
const dir = resolve(args.dir!);
const parts = new Set(args.only!.split(","));
if (!dir.startsWith("/tmp/")) throw new Error("the variant must live under /tmp");

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const name of ["src", "pipeline", "scripts", "tests", "package.json", "tsconfig.json", "bunfig.toml"]) {
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

if (parts.has("snappy")) {
  patch("src/server/handlers/loki-push.ts", (t) =>
    t
      .replace(`import snappy from "snappyjs";`, `import { uncompressFast } from "../../../scripts/bench/ingest/candidates/snappy-fast.ts";`)
      .replace("return snappy.uncompress(body, maxDecoded);", "return uncompressFast(body, maxDecoded);"),
  );
}
if (parts.has("decode")) {
  patch("src/protocols/loki/decode-proto.ts", (t) =>
    t.replace(
      "export function decodeProto(body: Uint8Array): Entry[] {",
      `import { decodeProtoFast } from "../../../scripts/bench/ingest/candidates/decode-proto-fast.ts";\n` +
        `export function decodeProto(body: Uint8Array): Entry[] {\n` +
        `  try {\n    return decodeProtoFast(body);\n  } catch (err) {\n    if (err instanceof PushDecodeError) throw err;\n` +
        `    throw new PushDecodeError(\`invalid protobuf: \${err instanceof Error ? err.message : String(err)}\`);\n  }\n}\n` +
        `export function decodeProtoOld(body: Uint8Array): Entry[] {`,
    ),
  );
}
console.log(dir);
