import { expect, test } from "bun:test";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver } from "../support/receiver-process.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { waitFor } from "../support/wait-for.ts";

/** Line i of the stream; every fifth is hay, so `--grep needle` has something to leave out. */
const line = (i: number) => `live line ${i} ${i % 5 === 4 ? "hay" : "needle"}`;

test.each(cliTargets().map((t) => [t.name, t] as const))("grep, open and inspect on a live capture that is rotating (%s)", async (_n, target) => {
  const r = await startReceiver(["--max-file", "40KB"]);
  let sent = 0;
  let needles = 0;
  let running = true;
  const pusher = (async () => {
    for (let b = 0; running; b++) {
      const values = Array.from({ length: 50 }, (_, i) => [`${1700000000000000000 + (b * 50 + i) * 1_000_000}`, line(b * 50 + i)] as [string, string]);
      if ((await push(r.url, lokiJson([{ labels: { app: "live" }, values }]), { "content-type": "application/json" })).status === 204) {
        sent += 50;
        needles += 40;
      }
      await Bun.sleep(5); // pacing, so the tools below read while the capture grows and rotates
    }
  })();
  const count = (stdout: string) => stdout.trim().split("\n").filter(Boolean).reduce((s, l) => s + Number(l.split("\t")[1]), 0);
  try {
    let last = -1;
    for (let round = 0; round < 4; round++) {
      const before = sent;
      await waitFor(() => sent >= before + 200, 10_000, "more acknowledged lines");
      const g = await runCli(["grep", "needle", r.dir, "--count"], { target });
      expect(g.code).toBe(0);
      expect(g.stderr).not.toContain("error");
      const n = count(g.stdout);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      // open replays what is on disk now: the needle lines only, each once, in order, with nothing missing before
      // the newest one it saw — and at least what grep found a moment ago.
      const o = await runCli(["open", r.dir, "--speed", "0", "--grep", "needle"], { target });
      expect(o.code).toBe(0);
      expect(o.stderr).not.toContain("error");
      const replayed = o.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
      expect(replayed.length).toBeGreaterThanOrEqual(n);
      const ids = replayed.map((e) => Number(/^live line (\d+) needle$/.exec(e.msg)?.[1] ?? NaN));
      const newest = Math.max(...ids);
      const want = Array.from({ length: newest + 1 }, (_, i) => i).filter((i) => line(i).endsWith("needle"));
      expect(ids).toEqual(want);
      expect(replayed.every((e) => e.labels?.app === "live")).toBe(true);
      const i = await runCli(["inspect", r.dir, "--json"], { target });
      expect(i.code).toBe(0);
      // At least every line grep counted a moment ago (early on, possibly none: acknowledged lines reach the disk
      // when the writer flushes its frame).
      expect(JSON.parse(i.stdout).total_lines).toBeGreaterThanOrEqual(n);
    }
    expect(last).toBeGreaterThan(0);
  } finally {
    running = false;
    await pusher;
  }
  expect((await r.stop()).code).toBe(0);
  const final = await runCli(["grep", "needle", r.dir, "--count"], { target });
  expect(count(final.stdout)).toBe(needles);
  expect(final.stdout.trim().split("\n").length).toBeGreaterThan(3);
  const replay = await runCli(["open", r.dir, "--speed", "0", "--grep", "needle"], { target });
  expect(replay.stdout.trim().split("\n").length).toBe(needles);
}, 30_000); // real receiver plus a dozen CLI runs, on a shared 2-core machine
