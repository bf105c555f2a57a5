import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { makeEntries } from "../support/entries.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { tempDir } from "../support/receiver-process.ts";

/** Runs logtap with its stdout piped into `reader`, a shell command; the exit code is logtap's. */
function piped(cmd: string[], reader: string) {
  const p = Bun.spawnSync(["bash", "-c", `"$@" | ${reader}; exit \${PIPESTATUS[0]}`, "bash", ...cmd], {
    env: { ...process.env, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("stdout (%s)", (_n, target) => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), "cap");
    // ~1.5 MB of output: many times a pipe's buffer.
    await writeOurCapture(dir, makeEntries(20_000));
  });

  test("a reader that stops early ends the command quietly with exit 0", () => {
    const r = piped([...target.cmd, "grep", "line", dir], "head -c 100 > /dev/null");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("a slow reader gets every line, in order", async () => {
    const fast = await runCli(["grep", "line", dir], { target });
    expect(fast.stdout.split("\n").length).toBe(20_001);
    const slow = piped([...target.cmd, "grep", "line", dir], "(sleep 0.5; cat)");
    expect(slow.code).toBe(0);
    expect(slow.stdout === fast.stdout).toBe(true);
  });
});
