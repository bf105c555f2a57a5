/**
 * End to end in a real terminal: the compiled binary in tmux, started from an empty directory. recv receives pushes
 * while keys are sent; open replays a fixture capture, pauses, changes speed and filters; q, Ctrl+C and SIGTERM
 * leave the terminal restored (alternate screen off, cursor visible) and the capture complete.
 */

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import { BINARY } from "../support/cli.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { readMetadata } from "../../src/capture/metadata.ts";
import { VERSION } from "../../src/version.ts";
import { TmuxSession, hasTmux, shellQuote } from "./tmux.ts";
import { entry } from "./tui-fixtures.ts";
import { requirePeer } from "../support/peer.ts";
import { waitFor } from "../support/wait-for.ts";

const JSON_TYPE = { "content-type": "application/json" };
if (!existsSync(BINARY)) throw new Error(`the tmux end-to-end tests need ${BINARY}: run bun scripts/build.ts`);
const ready = !requirePeer("tmux", hasTmux(), { debian: "tmux", skipped: "the recv and open end-to-end tests in tmux" });

let sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions) s.kill();
  sessions = [];
});

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), "logtap-tmux-"));
}

function run(cmd: string, cwd: string, o: { width?: number; height?: number; env?: Record<string, string> } = {}): TmuxSession {
  const s = TmuxSession.start(`${shellQuote(BINARY)} ${cmd} 2>stderr.txt`, { cwd, ...o });
  sessions.push(s);
  return s;
}

function nowNs(offsetMs = 0): string {
  return String(BigInt(Date.now() + offsetMs) * 1_000_000n);
}

async function readAll(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const b of new CaptureReader(dir).batches()) out.push(...b.entries);
  return out;
}

describe.skipIf(!ready)("recv dashboard in tmux", () => {
  test("receives pushes while keys are sent; q restores the terminal and completes the capture", async () => {
    const cwd = emptyDir();
    const s = run("recv --listen 127.0.0.1:0 --dir ./cap", cwd, { width: 110, height: 30 });
    const first = await s.waitFor((_, t) => t.includes("Top talkers") && /127\.0\.0\.1:\d+/.test(t), 15_000, "the dashboard");
    expect(first[0]).toMatch(new RegExp(`^logtap v${VERSION.replace(/\./g, "\\.")} \\| 127\\.0\\.0\\.1:\\d+ \\| \\./cap$`));
    expect(s.state().alternate).toBe(true);
    const url = `http://${/(127\.0\.0\.1:\d+)/.exec(first[0]!)![1]}`;

    let sent = 0;
    const send = async (n: number, app: string, msg: (i: number) => string) => {
      const values = Array.from({ length: n }, (_, i): [string, string] => [nowNs(i), msg(sent + i)]);
      expect((await push(url, lokiJson([{ labels: { app, env: "e2e" }, values }]), JSON_TYPE)).status).toBe(204);
      sent += n;
    };
    await send(20, "web", (i) => `GET /page/${i} 200`);
    await send(5, "api", (i) => `error: upstream timeout ${i}`);
    let screen = await s.waitFor((_, t) => t.includes("error: upstream timeout 24"), 10_000, "the pushed lines");
    await s.waitFor((_, t) => /web +(20 total|\d+(\.\d)?K?\/s)/.test(t) && /api +(5 total|\d+(\.\d)?K?\/s)/.test(t), 5_000, "top talkers");
    expect(screen.at(-1)).toMatch(/FOLLOW$/);

    // GREP filter while more pushes arrive.
    s.type("/=timeout");
    s.keys("Enter");
    await send(10, "web", (i) => `GET /more/${i} 200`);
    await send(2, "api", (i) => `error: upstream timeout ${i}`);
    screen = await s.waitFor((sc) => sc.at(-1)!.includes("GREP: /timeout") && sc.join("\n").includes("upstream timeout 36"), 10_000, "the GREP filter");
    const logRows = screen.slice(9, -1).filter((l) => l !== "");
    expect(logRows.length).toBe(7);
    expect(logRows.every((l) => l.includes("upstream timeout"))).toBe(true);
    expect(screen.at(-1)).toMatch(/GREP: \/timeout \[7 lines\] FOLLOW$/);

    // Esc unwinds the filter; the help overlay opens and closes; k leaves follow mode.
    s.keys("Escape");
    await s.waitFor((sc) => !sc.at(-1)!.includes("GREP"), 5_000, "the filter to go");
    s.keys("?");
    await s.waitFor((_, t) => t.includes("Keybindings  (press ? or Esc to close)"), 5_000, "the help");
    s.keys("?");
    await s.waitFor((_, t) => !t.includes("Keybindings"), 5_000, "the help to close");
    s.keys("k");
    await s.waitFor((sc) => !sc.at(-1)!.includes("FOLLOW"), 5_000, "follow off");
    s.keys("G");
    await s.waitFor((sc) => sc.at(-1)!.endsWith("FOLLOW"), 5_000, "follow on");

    // Counts: the stats block shows them after the next tick.
    await s.waitFor((_, t) => /Disk used: +\d/.test(t) && / Dropped: +0/.test(t), 5_000, "stats");

    s.keys("q");
    const st = await s.waitForExit();
    expect(st.status).toBe(0);
    expect(st.alternate).toBe(false);
    expect(st.cursorVisible).toBe(true);
    const err = readFileSync(join(cwd, "stderr.txt"), "utf8");
    expect(err).toContain("shutting down...");
    expect(err).toContain(`done: ${sent} lines`);
    const got = await readAll(join(cwd, "cap"));
    expect(got).toHaveLength(sent);
    const meta = readMetadata(join(cwd, "cap"));
    expect(meta.total_lines).toBe(sent);
    expect(meta.stopped).not.toBe("0001-01-01T00:00:00Z");
  }, 60_000);

  test("SIGTERM restores the terminal and runs the normal shutdown", async () => {
    const cwd = emptyDir();
    const s = run("recv --listen 127.0.0.1:0 --dir ./cap", cwd);
    const first = await s.waitFor((_, t) => /127\.0\.0\.1:\d+/.test(t) && t.includes("FOLLOW"), 15_000, "the dashboard");
    const url = `http://${/(127\.0\.0\.1:\d+)/.exec(first[0]!)![1]}`;
    expect((await push(url, lokiJson([{ labels: { app: "web" }, values: [[nowNs(), "hello"], [nowNs(1), "world"]] }]), JSON_TYPE)).status).toBe(204);
    await s.waitFor((_, t) => t.includes("[web] world"), 10_000, "the lines");
    process.kill(s.pid(), "SIGTERM");
    const st = await s.waitForExit();
    expect(st.status).toBe(0);
    expect(st.alternate).toBe(false);
    expect(readFileSync(join(cwd, "stderr.txt"), "utf8")).toContain("done: 2 lines");
    expect((await readAll(join(cwd, "cap"))).map((e) => e.msg)).toEqual(["hello", "world"]);
  }, 40_000);

  test("Ctrl+C quits the same way; a resize re-lays out", async () => {
    const cwd = emptyDir();
    const s = run("recv --listen 127.0.0.1:0 --dir ./cap", cwd, { width: 100, height: 30 });
    await s.waitFor((sc) => sc[8] === "─".repeat(100), 15_000, "the dashboard");
    s.resize(70, 20);
    await s.waitFor((sc) => sc[8] === "─".repeat(70) && sc.length === 20 && sc[19]!.endsWith("FOLLOW"), 5_000, "the new layout");
    s.keys("C-c");
    const st = await s.waitForExit();
    expect(st.status).toBe(0);
    expect(st.alternate).toBe(false);
    expect(readFileSync(join(cwd, "stderr.txt"), "utf8")).toContain("done: 0 lines");
  }, 40_000);

  test("TERM=dumb or --headless: no TUI, the plain receiver", async () => {
    for (const [args, env] of [["", { TERM: "dumb" }], ["--headless", {}]] as const) {
      const cwd = emptyDir();
      const s = run(`recv --listen 127.0.0.1:0 --dir ./cap ${args}`, cwd, { env });
      // stderr.txt appears once the shell in tmux has started the command; until then reading it throws (not yet).
      await waitFor(() => readFileSync(join(cwd, "stderr.txt"), "utf8").includes("listening on"), 10_000, "recv to listen");
      expect(readFileSync(join(cwd, "stderr.txt"), "utf8")).toContain("logtap recv listening on");
      expect(s.state().alternate).toBe(false);
      process.kill(s.pid(), "SIGTERM");
      expect((await s.waitForExit()).status).toBe(0);
    }
  }, 40_000);
});

describe.skipIf(!ready)("open replay in tmux", () => {
  async function fixture(cwd: string): Promise<void> {
    // 40 entries two seconds apart: web and api, every 4th an error.
    const es = Array.from({ length: 40 }, (_, i) => entry(i * 2, i % 2 ? "api" : "web", i % 4 === 0 ? `error: payment failed ${i}` : `GET /cart/${i} 200`));
    await writeOurCapture(join(cwd, "fixture"), es);
  }

  test("picker, replay, pause, speed, filter, q", async () => {
    const cwd = emptyDir();
    await fixture(cwd);
    const s = run("open ./fixture --speed 1", cwd, { width: 100, height: 30 });
    await s.waitFor((_, t) => t.includes("Select services to load") && t.includes("> [x] api (20 lines)") && t.includes("  [x] web (20 lines)"), 15_000, "the picker");
    s.keys("Enter");
    await s.waitFor((sc) => sc[0]!.startsWith("logtap open | ./fixture | 2025-01-15 10:00") && sc[1] === "Services: api (20) · web (20)", 5_000, "the replay");
    await s.waitFor((_, t) => t.includes("[web] error: payment failed 0"), 5_000, "the first line");

    s.keys("Space");
    let screen = await s.waitFor((sc) => sc[4] === " Speed:     PAUSED" && sc.at(-1)!.includes("PAUSED"), 5_000, "PAUSED");
    const linesAtPause = screen[3];
    await Bun.sleep(2500);
    expect(s.screen()[3]).toBe(linesAtPause);

    s.keys("]", "]", "]");
    await s.waitFor((sc) => sc.at(-1)!.includes("PAUSED"), 2_000, "still paused");
    s.keys("Space");
    await s.waitFor((sc) => sc[4] === " Speed:     8x" && sc.at(-1)!.includes("8x"), 5_000, "8x");

    s.type("/=payment");
    s.keys("Enter");
    screen = await s.waitFor((sc) => sc.at(-1)!.includes("GREP: /payment"), 5_000, "the filter");
    expect(screen.slice(6, -1).filter((l) => l !== "").every((l) => l.includes("payment failed"))).toBe(true);

    s.keys("[", "[", "[", "[");
    await s.waitFor((sc) => sc[4] === " Speed:     0.5x", 5_000, "0.5x");
    s.keys("]");
    await s.waitFor((sc) => sc[4] === " Speed:     1x", 5_000, "1x");

    s.keys("q");
    const st = await s.waitForExit();
    expect(st.status).toBe(0);
    expect(st.alternate).toBe(false);
    expect(st.cursorVisible).toBe(true);
  }, 60_000);

  test("instant replay to the end: DONE, COMPLETE, 100%", async () => {
    const cwd = emptyDir();
    await fixture(cwd);
    const s = run("open ./fixture --speed 0 --label app=api", cwd, { width: 100, height: 30 });
    const screen = await s.waitFor((sc) => sc[4]?.startsWith(" Speed:     DONE in ") === true, 15_000, "DONE");
    expect(screen[2]).toMatch(/ 100%$/);
    expect(screen[3]).toBe(" Lines:     20 / 40");
    expect(screen.at(-1)).toMatch(/COMPLETE FOLLOW$/);
    expect(screen.slice(6, -1).filter((l) => l !== "").every((l) => l.includes("[api]"))).toBe(true);
    s.keys("q");
    expect((await s.waitForExit()).status).toBe(0);
  }, 40_000);

  test("--format forces plain output on a terminal", async () => {
    const cwd = emptyDir();
    await fixture(cwd);
    const s = run("open ./fixture --speed 0 --format text", cwd);
    const st = await s.waitForExit();
    expect(st.status).toBe(0);
    const screen = s.screen().filter((l) => l !== "");
    expect(screen.at(-1)).toBe("2025-01-15T10:01:18Z [api] GET /cart/39 200");
  }, 30_000);
});
