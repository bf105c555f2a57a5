import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tuneAllocator } from "../../src/cli/allocator-tuning.ts";

const probe = join(import.meta.dir, "../support/allocator-probe.ts");

function run(args: string[], env: Record<string, string | undefined> = {}, bunFlags: string[] = []) {
  const base = { ...process.env };
  delete base.MIMALLOC_PURGE_DELAY;
  const r = Bun.spawnSync([process.execPath, ...bunFlags, probe, ...args], { env: { ...base, ...env } as Record<string, string> });
  const out = r.stdout.toString().trim().split("\n");
  // One line: the process that printed is the one that was started (re-executed in place, not a child).
  expect(out).toHaveLength(1);
  return { ...(JSON.parse(out[0]!) as { purgeDelay: string | null; pid: number; argv: string[] }), spawned: r.pid };
}

describe("allocator tuning (mimalloc keeps freed memory for whole-capture commands)", () => {
  test("triage, export and report re-execute themselves once with MIMALLOC_PURGE_DELAY=-1, same pid and arguments", () => {
    for (const args of [["triage", "./capture", "--jobs", "1"], ["--timeout", "5s", "export", "./c", "--format", "csv"], ["report", "dir"]]) {
      const r = run(args);
      expect(r.purgeDelay).toBe("-1");
      expect(r.pid).toBe(r.spawned);
      expect(r.argv).toEqual(args);
    }
  });

  test("grep, inspect, recv, help and unknown words run as they are", () => {
    for (const args of [["grep", "x", "dir"], ["inspect", "dir"], ["recv"], ["--help"], ["nonsense"], []]) expect(run(args).purgeDelay).toBeNull();
  });

  test("under Bun's own flags (a profiler) nothing is re-executed", () => {
    expect(run(["triage", "dir"], {}, ["--smol"]).purgeDelay).toBeNull();
  });

  test("an exec that fails leaves the command to run as it is", () => {
    const saved = process.env.MIMALLOC_PURGE_DELAY;
    delete process.env.MIMALLOC_PURGE_DELAY;
    const calls: string[][] = [];
    try {
      expect(() =>
        tuneAllocator(["triage", "dir"], (_file, args) => {
          calls.push(args);
          throw Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
        }),
      ).not.toThrow();
    } finally {
      if (saved !== undefined) process.env.MIMALLOC_PURGE_DELAY = saved;
    }
    // bun test has no Bun flags of its own (execArgv is empty), so the exec was tried, and its failure swallowed.
    expect(calls).toHaveLength(1);
  });

  test("a value the user set is kept", () => {
    expect(run(["triage", "dir"], { MIMALLOC_PURGE_DELAY: "25" }).purgeDelay).toBe("25");
  });
});
