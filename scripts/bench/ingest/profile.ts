/**
 * CPU profile of the receiver (from sources, `bun --cpu-prof --cpu-prof-md`) under the ingest benchmark's load.
 * Prints the profile's hot-function table and leaves the .cpuprofile (Chrome DevTools format) and .md in --out.
 *
 * Run: node_modules/.bin/bun scripts/bench/ingest/profile.ts [--seconds 10] [--format proto|json] [--redact]
 *        [--src DIR] [--out /tmp/logtap-ingest-profile] [--top 30]
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dir, "../../..");
const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    format: { type: "string", default: "proto" },
    redact: { type: "boolean", default: false },
    src: { type: "string" },
    out: { type: "string", default: "/tmp/logtap-ingest-profile" },
    top: { type: "string", default: "30" },
    connections: { type: "string", default: "6" },
  },
});
const src = args.src ? resolve(args.src) : ROOT;
const out = resolve(args.out!);
rmSync(out, { recursive: true, force: true });
const dir = mkdtempSync("/tmp/logtap-ingest-prof-");
const port = 20000 + Math.floor(Math.random() * 20000);

const recv = Bun.spawn(
  [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${out}`, join(src, "src/cli/main.ts"), "recv", "--headless",
    "--stats-interval", "0", "--listen", `127.0.0.1:${port}`, "--dir", join(dir, "capture"), ...(args.redact ? ["--redact"] : [])],
  { stdout: "ignore", stderr: "pipe" },
);
let err = "";
const dec = new TextDecoder();
const reading = (async () => {
  for await (const c of recv.stderr) err += dec.decode(c);
})();
while (!err.includes("listening on")) {
  if (recv.exitCode !== null) throw new Error(`receiver exited: ${err}`);
  await Bun.sleep(50);
}
const load = Bun.spawn(
  [process.execPath, join(import.meta.dir, "loadgen.ts"), "--url", `http://127.0.0.1:${port}/loki/api/v1/push`, "--format", args.format!,
    "--seconds", args.seconds!, "--connections", args.connections!, "--no-wait"],
  { stdout: "pipe", stderr: "inherit" },
);
const result = (await new Response(load.stdout).text()).split("\n").find((l) => l.startsWith("{"));
recv.kill("SIGTERM");
await recv.exited;
await reading;
rmSync(dir, { recursive: true, force: true });
if (result) {
  const r = JSON.parse(result);
  console.log(`load: ${Math.round(r.sentEntries / r.elapsedS).toLocaleString("en-US")} entries/s sent for ${r.elapsedS.toFixed(1)} s (${args.format}${args.redact ? ", --redact" : ""})`);
}
const md = readdirSync(out).find((f) => f.endsWith(".md"));
if (!md) throw new Error(`no profile written to ${out}\n${err}`);
const text = readFileSync(join(out, md), "utf8");
const lines = text.split("\n");
const start = lines.findIndex((l) => l.startsWith("## Hot Functions"));
console.log(lines.slice(0, 6).join("\n"));
console.log(lines.slice(start, start + 4 + Number(args.top)).join("\n"));
console.log(`\nfull profile: ${out}`);
