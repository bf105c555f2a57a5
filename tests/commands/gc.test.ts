/**
 * `logtap gc <captures-dir>` deletes whole capture directories: first those started more than --max-age ago,
 * then the oldest remaining ones while the total exceeds --max-total. `--dry-run` only reports. JSON is the
 * deletion list — `[]` when nothing is selected (upstream printed `null`).
 */

import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { makeCapture } from "./capture-fixture.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** RFC3339 in UTC without fraction, and the wall clock gc prints for it. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}
function clock(ms: number): string {
  return iso(ms).slice(0, 19).replace("T", " ");
}

/** Every byte under a directory, counted independently of the code under test. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? treeBytes(p) : lstatSync(p).size;
  }
  return total;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** old (10 days + 1 h), mid (3 days), new (1 hour): 30 KB, 20 KB and 10 KB of data; plus things that are not captures. */
function makeRoot() {
  const root = tempDir();
  const now = Date.now();
  const starts = { old: now - 10 * DAY - HOUR, mid: now - 3 * DAY, new: now - HOUR };
  const pad = (kb: number) => ({ files: { "2024-01-15T120000-000.jsonl": "x".repeat(kb * 1024) } });
  makeCapture(join(root, "old"), { started: iso(starts.old), ...pad(30) });
  makeCapture(join(root, "mid"), { started: iso(starts.mid), ...pad(20) });
  makeCapture(join(root, "new"), { started: iso(starts.new), stopped: "0001-01-01T00:00:00Z", ...pad(10) });
  mkdirSync(join(root, "not-a-capture"));
  writeFileSync(join(root, "not-a-capture", "data.jsonl"), "{}\n");
  writeFileSync(join(root, "loose-file.txt"), "hello\n");
  const size = { old: treeBytes(join(root, "old")), mid: treeBytes(join(root, "mid")), new: treeBytes(join(root, "new")) };
  return { root, starts, size, total: size.old + size.mid + size.new };
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap gc (%s)", (_name, target) => {
  test("--max-age 7d --dry-run lists the capture older than 7 days and deletes nothing", async () => {
    const f = makeRoot();
    const r = await runCli(["gc", f.root, "--max-age", "7d", "--dry-run"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        `Captures: 3   Total size: ${formatBytes(f.total)}`,
        "Dry run: would delete 1 capture(s)",
        `  ${f.root}/old  ${formatBytes(f.size.old)}  started ${clock(f.starts.old)}  age 10d 01h  (max-age)`,
        "",
      ].join("\n"),
    );
    expect(readdirSync(f.root).sort()).toEqual(["loose-file.txt", "mid", "new", "not-a-capture", "old"]);
  });

  test("--max-age takes fractional days and Go durations", async () => {
    const f = makeRoot();
    const days = JSON.parse((await runCli(["gc", f.root, "--max-age", "2.5D", "--dry-run", "--json"], { target })).stdout);
    expect(days.map((d: { dir: string }) => d.dir)).toEqual([`${f.root}/old`, `${f.root}/mid`]);
    const hours = JSON.parse((await runCli(["gc", f.root, "--max-age", "30m", "--dry-run", "--json"], { target })).stdout);
    expect(hours.map((d: { dir: string }) => d.dir)).toEqual([`${f.root}/old`, `${f.root}/mid`, `${f.root}/new`]);
  });

  test("--max-total selects the oldest captures until the rest fit the budget", async () => {
    const f = makeRoot();
    const justOld = await runCli(["gc", f.root, "--max-total", String(f.total - f.size.old), "--dry-run", "--json"], { target });
    expect(justOld.code).toBe(0);
    expect(JSON.parse(justOld.stdout)).toEqual([{ dir: `${f.root}/old`, started: iso(f.starts.old), size_bytes: f.size.old, reasons: ["max-total"] }]);
    const two = await runCli(["gc", f.root, "--max-total", "15KB", "--dry-run"], { target });
    expect(two.stdout).toBe(
      [
        `Captures: 3   Total size: ${formatBytes(f.total)}`,
        "Dry run: would delete 2 capture(s)",
        `  ${f.root}/old  ${formatBytes(f.size.old)}  started ${clock(f.starts.old)}  age 10d 01h  (max-total)`,
        `  ${f.root}/mid  ${formatBytes(f.size.mid)}  started ${clock(f.starts.mid)}  age 3d 00h  (max-total)`,
        "",
      ].join("\n"),
    );
  });

  test("both rules: age first, then the size budget counts only what age left", async () => {
    const f = makeRoot();
    const r = await runCli(["gc", f.root, "--max-age", "7d", "--max-total", String(f.size.new), "--dry-run", "--json"], { target });
    const doc = JSON.parse(r.stdout);
    expect(doc.map((d: { dir: string; reasons: string[] }) => [d.dir, d.reasons])).toEqual([
      [`${f.root}/old`, ["max-age"]],
      [`${f.root}/mid`, ["max-total"]],
    ]);
    expect(r.stdout.startsWith('[\n  {\n    "dir": ')).toBe(true);
    expect(Object.keys(doc[0])).toEqual(["dir", "started", "size_bytes", "reasons"]);
  });

  test("without --dry-run the selected directories are deleted and everything else is left alone", async () => {
    const f = makeRoot();
    const r = await runCli(["gc", f.root, "--max-age", "2d"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([`Captures: 3   Total size: ${formatBytes(f.total)}`, "Deleted 2 capture(s)"]);
    expect(readdirSync(f.root).sort()).toEqual(["loose-file.txt", "new", "not-a-capture"]);
  });

  test("nothing to delete: a zero count in text and [] in JSON", async () => {
    const f = makeRoot();
    const text = await runCli(["gc", f.root, "--max-age", "30d"], { target });
    expect(text.stdout).toBe(`Captures: 3   Total size: ${formatBytes(f.total)}\nDeleted 0 capture(s)\n`);
    const json = await runCli(["gc", f.root, "--max-total", "1GB", "--json"], { target });
    expect(json).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
    const empty = await runCli(["gc", tempDir(), "--max-age", "1d", "--json"], { target });
    expect(empty.stdout).toBe("[]\n");
    expect(readdirSync(f.root)).toHaveLength(5);
  });

  test("a capture without a start time is the oldest: `started unknown`, no age", async () => {
    const root = tempDir();
    makeCapture(join(root, "crashed"), { started: null });
    const size = treeBytes(join(root, "crashed"));
    const r = await runCli(["gc", root, "--max-age", "1h", "--dry-run"], { target });
    expect(r.stdout).toBe(
      [`Captures: 1   Total size: ${formatBytes(size)}`, "Dry run: would delete 1 capture(s)", `  ${root}/crashed  ${formatBytes(size)}  started unknown  (max-age)`, ""].join("\n"),
    );
    const json = JSON.parse((await runCli(["gc", root, "--max-age", "1h", "--dry-run", "--json"], { target })).stdout);
    expect(json[0].started).toBe("0001-01-01T00:00:00Z");
  });

  test("a capture whose metadata.json does not decode stops the run before anything is deleted (exit 1)", async () => {
    const f = makeRoot();
    mkdirSync(join(f.root, "broken"));
    writeFileSync(join(f.root, "broken", "metadata.json"), "{not json");
    const r = await runCli(["gc", f.root, "--max-age", "1d"], { target });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: read metadata ${f.root}/broken: unmarshal metadata: `));
    expect(existsSync(join(f.root, "old"))).toBe(true);
  });

  test("usage errors exit 2; a missing directory exits 3", async () => {
    const root = tempDir();
    const cases: Array<[string[], string]> = [
      [["gc", root], "--max-age or --max-total is required"],
      [["gc", root, "--max-age", "7x"], 'invalid --max-age: invalid duration "7x"'],
      [["gc", root, "--max-age", "d"], 'invalid --max-age: invalid day duration: "d"'],
      [["gc", root, "--max-age", "0d"], "invalid --max-age: must be positive"],
      [["gc", root, "--max-age", "-1h"], "invalid --max-age: must be positive"],
      [["gc", root, "--max-total", "1KiB"], 'invalid --max-total: invalid size: "1KiB"'],
      [["gc", root, "--max-total", "0"], "invalid --max-total: must be positive"],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { target });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `error: ${message}\n` });
    }
    expect((await runCli(["gc", "--max-age", "1d"], { target })).code).toBe(2);
    const missing = await runCli(["gc", join(root, "nope"), "--max-age", "1d", "--json"], { target });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe("");
    expect(JSON.parse(missing.stderr)).toEqual({ exit_code: 3, error: "not_found", message: `read dir: open ${root}/nope: no such file or directory`, recoverable: false });
  });
});
