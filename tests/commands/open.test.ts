import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import type { Entry } from "../../src/model/entry.ts";

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0) / 1000;
const labels = Object.freeze({ app: "api" });

describe.each(cliTargets().map((t) => [t.name, t] as const))("open without a TTY (%s)", (_n, target) => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), "cap");
    // 5 entries 200 ms apart: 0.8 s of capture time.
    const entries: Entry[] = Array.from({ length: 5 }, (_, i) => ({ sec: T0, nsec: i * 200_000_000, labels, msg: `tick ${i}` }));
    await writeOurCapture(dir, entries);
  });

  test("--speed 0 replays everything at once as capture JSON lines (the default without a TTY)", async () => {
    const r = await runCli(["open", dir, "--speed", "0"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l).msg)).toEqual(["tick 0", "tick 1", "tick 2", "tick 3", "tick 4"]);
  });

  test("--format text prints display lines in UTC", async () => {
    const r = await runCli(["open", dir, "--speed", "0", "--format", "text", "--grep", "tick [13]"], { target });
    expect(r.stdout).toBe("2025-01-15T10:00:00Z [api] tick 1\n2025-01-15T10:00:00Z [api] tick 3\n");
  });

  test("--speed 1 waits out the original timing (0.8 s of capture time); the exact pacing is tested on the stage", async () => {
    const t = performance.now();
    await runCli(["open", dir, "--speed", "1"], { target });
    expect(performance.now() - t).toBeGreaterThanOrEqual(750);
  });

  test("bad --speed and --format are usage errors", async () => {
    expect((await runCli(["open", dir, "--speed", "-1"], { target })).stderr).toBe("error: invalid --speed: speed must be >= 0\n");
    expect((await runCli(["open", dir, "--speed", "fast"], { target })).code).toBe(2);
    expect((await runCli(["open", dir, "--format", "yaml"], { target })).code).toBe(2);
    expect((await runCli(["open", dir, "--from", "tomorrow"], { target })).stderr).toBe('error: invalid --from: unrecognized time format: "tomorrow"\n');
  });
});
