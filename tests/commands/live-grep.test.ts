import { expect, test } from "bun:test";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver } from "../support/receiver-process.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";

test.each(cliTargets().map((t) => [t.name, t] as const))("grep, open and inspect on a live capture that is rotating (%s)", async (_n, target) => {
  const r = await startReceiver(["--max-file", "40KB"]);
  let sent = 0;
  let running = true;
  const pusher = (async () => {
    for (let b = 0; running; b++) {
      const values = Array.from({ length: 50 }, (_, i) => [`${1700000000000000000 + (b * 50 + i) * 1_000_000}`, `live line ${b * 50 + i} needle`] as [string, string]);
      if ((await push(r.url, lokiJson([{ labels: { app: "live" }, values }]), { "content-type": "application/json" })).status === 204) sent += 50;
      await Bun.sleep(5);
    }
  })();
  try {
    let last = -1;
    for (let round = 0; round < 4; round++) {
      await Bun.sleep(400);
      const g = await runCli(["grep", "needle", r.dir, "--count"], { target });
      expect(g.code).toBe(0);
      expect(g.stderr).not.toContain("error");
      const n = g.stdout.trim().split("\n").filter(Boolean).reduce((s, l) => s + Number(l.split("\t")[1]), 0);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      const o = await runCli(["open", r.dir, "--speed", "0", "--grep", "needle"], { target });
      expect(o.code).toBe(0);
      const i = await runCli(["inspect", r.dir, "--json"], { target });
      expect(i.code).toBe(0);
      expect(JSON.parse(i.stdout).total_lines).toBeGreaterThan(0);
    }
    expect(last).toBeGreaterThan(0);
  } finally {
    running = false;
    await pusher;
  }
  expect((await r.stop()).code).toBe(0);
  const final = await runCli(["grep", "needle", r.dir, "--count"], { target });
  expect(final.stdout.trim().split("\n").reduce((s, l) => s + Number(l.split("\t")[1]), 0)).toBe(sent);
  expect(final.stdout.trim().split("\n").length).toBeGreaterThan(3);
});
