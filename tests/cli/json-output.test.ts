import { beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { makeEntries } from "../support/entries.ts";

let root: string;
let cap: string;
/** A second capture, outside root: merge takes two different ones. */
let other: string;
beforeAll(async () => {
  root = tempDir();
  cap = join(root, "cap");
  await writeOurCapture(cap, makeEntries(300));
  other = join(tempDir(), "cap");
  await writeOurCapture(other, makeEntries(20));
});

/** Commands with JSON output (upstream §1.2): --json and --format json both give exactly one JSON document. */
const cases: Array<[string, () => string[]]> = [
  ["version", () => ["version"]],
  ["inspect", () => ["inspect", cap]],
  ["catalog", () => ["catalog", root]],
  ["gc", () => ["gc", root, "--max-age", "36500d", "--dry-run"]],
  ["sign", () => ["sign", cap]],
  ["slice", () => ["slice", cap, "-o", join(tempDir(), "s")]],
  ["merge", () => ["merge", cap, other, "-o", join(tempDir(), "m")]],
  ["snapshot", () => ["snapshot", cap, "-o", join(tempDir(), "x.tar.zst")]],
  ["init", () => ["init"]],
];

for (const [name, args] of cases) {
  test(`${name}: --json and --format json print one valid JSON document and nothing else on stdout`, async () => {
    const env = { HOME: tempDir() };
    for (const flag of [["--json"], ["--format", "json"]]) {
      const r = await runCli([...args(), ...flag], { env });
      expect({ name, flag, code: r.code }).toEqual({ name, flag, code: 0 });
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.stdout.trim().startsWith("{") || r.stdout.trim().startsWith("[")).toBe(true);
    }
  });
}

test("export --json (its own --format selects the file format)", async () => {
  const r = await runCli(["export", cap, "--format", "jsonl", "--out", join(tempDir(), "x.jsonl"), "--json"]);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "jsonl", lines: 300 });
});
