/**
 * `recv --follow` when the cluster cannot give everything back: the API server is unreachable for a few seconds
 * while one container's log rotates several times (the lines of the files rotated away are gone) and another
 * restarts more than once (the instance being read is gone from the node). What is lost must be reported — in
 * audit.jsonl, /metrics and on stderr — and bracket exactly the missing lines; everything else is captured once.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { primaryTarget } from "../support/cli.ts";
import { waitFor } from "../support/wait-for.ts";
import { audit, captured, create, deployment, deploymentsPath, entriesOf, nsOf, outputsOf, recvFollow, startFollowCluster, whenScriptsDone, type FollowCluster } from "./follow-fixtures.ts";

let c: FollowCluster;
beforeAll(async () => {
  c = await startFollowCluster(["shop"]);
}, 30_000);
afterAll(() => c.stop());

test("rotations and restarts while the API server is unreachable: gaps recorded that bracket exactly the lost lines", async () => {
  const scripts = {
    // A file every 0.5 s: a 3 s outage rotates several away.
    rot: { template: "rot {n}", rate: 60, count: 480, rotateEvery: 30 },
    // An instance every 0.6 s (back-off 0.1 s, doubling): the outage covers more than one restart.
    crash: { template: "crash {n} of {restart}", rate: 50, count: 300, restartAfter: 30 },
  };
  await create(c, deploymentsPath("shop"), deployment("shop", "flaky", 0, scripts));
  const r = await recvFollow(c, ["--follow", "deployment/flaky", "-n", "shop"], { target: primaryTarget() });
  const res = await c.standIn.fetch(`${deploymentsPath("shop")}/flaky/scale`, { method: "PATCH", body: '{"spec":{"replicas":1}}', headers: { "content-type": "application/merge-patch+json" } });
  expect(res.status).toBe(200);
  await waitFor(() => outputsOf(c, "shop", "flaky").some((o) => o.container === "crash" && o.instances.at(-1)?.restartCount === 1), 15_000, "the second instance of crash");
  await c.standIn.faults.setUnreachable("refuse", 3000);
  await whenScriptsDone(c, "shop", "flaky", 1, { rot: 480, crash: 300 }, 40_000);
  // Caught up: the last line of each container is in.
  let last = -1;
  await waitFor(async () => {
    const n = (await r.metrics())["logtap_follow_lines_total"]!;
    const settled = n === last;
    last = n;
    return settled;
  }, 20_000, "following to settle", 1500);
  const metrics = await r.metrics();
  const { code, stderr } = await r.stop();
  expect(code).toBe(0);

  const gaps = audit(r.dir).filter((e) => e.event === "follow_gap");
  const entries = captured(r.dir);
  for (const o of outputsOf(c, "shop", "flaky")) {
    const mine = entriesOf(entries, o.pod, o.container);
    const got = new Map<string, number>();
    for (const e of mine) got.set(e.msg, (got.get(e.msg) ?? 0) + 1);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    // In order.
    expect(mine.map((e) => nsOf(e.ts))).toEqual([...mine.map((e) => nsOf(e.ts))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const mineGaps = gaps.filter((g) => g.container === o.container && g.pod === o.pod);
    const inGap = (ns: bigint) => mineGaps.some((g) => nsOf(g.after as string) < ns && (g.before === undefined || ns < nsOf(g.before as string)));
    // What the node rotated away before the first stream opened is gone unseen for any reader (and there is no line
    // before it to anchor a gap): the ground truth starts at the first line captured.
    const firstNs = nsOf(mine[0]!.ts);
    const history = o.history.filter((h) => h.ns >= firstNs);
    const missing = history.filter((h) => !got.has(h.text));
    // Something was lost, and every lost line lies inside a recorded gap; no captured line does.
    expect({ container: o.container, lost: missing.length > 0, unexplained: missing.filter((h) => !inGap(h.ns)).map((h) => h.text) }).toEqual({ container: o.container, lost: true, unexplained: [] });
    expect(history.filter((h) => got.has(h.text) && inGap(h.ns)).map((h) => h.text)).toEqual([]);
    expect(mineGaps.every((g) => g.before !== undefined)).toBe(true);
  }
  const reasons = (c: string) => gaps.filter((g) => g.container === c).map((g) => g.reason);
  expect(new Set(reasons("rot"))).toEqual(new Set(["rotated"]));
  expect(reasons("crash")).toContain("restarted");
  expect(metrics['logtap_follow_gaps_total{reason="rotated"}']! + metrics['logtap_follow_gaps_total{reason="restarted"}']!).toBe(gaps.length);
  expect(stderr).toContain("warning: lines lost in shop/flaky-");
  expect(stderr).toContain("recorded in audit.jsonl");
  expect(audit(r.dir).at(-1)).toMatchObject({ event: "server_stopped", follow_gaps: gaps.length });
}, 120_000);
