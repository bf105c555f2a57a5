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

describe.each(cliTargets().map((t) => [t.name, t] as const))("machine output into a slow pipe (%s)", (_n, target) => {
  // Regression: Bun.write(Bun.stdout) wrote 64 KiB twice once process.stdout had been touched (src/tui/tty.ts) and
  // the reader fell behind; it took a reader that sleeps and writes of a few pipe buffers each. Three tries per
  // command caught it every time.
  let dir: string;
  const msgs = Array.from({ length: 6000 }, (_, i) => `line ${i} ${"abcdefghij".repeat(25)}`);
  beforeAll(async () => {
    dir = join(tempDir(), "cap");
    // Frames of 256 KiB: writes of that size were the ones that came out wrong.
    await writeOurCapture(dir, msgs.map((msg, i) => ({ sec: T0 + i, nsec: 0, labels, msg })), { frameBytes: 256 << 10 });
  });

  const slowly = async (args: string[]): Promise<string> => {
    const cmd = [...target.cmd, ...args].map((a) => `'${a}'`).join(" ");
    const p = Bun.spawn(["sh", "-c", `${cmd} | (sleep 0.3; cat)`], { stdout: "pipe", stderr: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
    expect(code).toBe(0);
    return out;
  };

  test("open (JSON lines and text) and grep print every line once, in order", async () => {
    for (let round = 0; round < 3; round++) {
      expect((await slowly(["open", dir, "--speed", "0"])).trim().split("\n").map((l) => JSON.parse(l).msg)).toEqual(msgs);
      expect((await slowly(["open", dir, "--speed", "0", "--format", "text"])).trim().split("\n").map((l) => l.slice(l.indexOf("] ") + 2))).toEqual(msgs);
      expect((await slowly(["grep", "line", dir])).trim().split("\n").map((l) => JSON.parse(l).msg)).toEqual(msgs);
    }
  }, 60_000);
});
