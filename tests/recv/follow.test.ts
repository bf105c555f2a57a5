/**
 * `logtap recv --follow` end to end through the stand-in over mutual TLS, with the compiled binary and the
 * sources: a Deployment of 3 replicas × 2 containers whose scripts restart, rotate, split long lines into runtime
 * partial records and stamp several lines with one nanosecond. Every printed line must land in the capture exactly
 * once, in order per container, with its own timestamp and the right labels — read back with the zstd CLI and
 * compared with the kubelet's record of what each container printed.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cliTargets } from "../support/cli.ts";
import { waitFor } from "../support/wait-for.ts";
import { audit, captured, create, deployment, deploymentsPath, expectExactly, outputsOf, recvFollow, startFollowCluster, whenScriptsDone, type FollowCluster } from "./follow-fixtures.ts";

let c: FollowCluster;
beforeAll(async () => {
  c = await startFollowCluster(["payments"]);
}, 30_000);
afterAll(() => c.stop());

const GATEWAY = {
  // 240 lines in three instances (restarts after 100), a rotation every 90 lines, lines longer than 24 bytes split.
  // Files last over 2 s: a stream that ended at a rotation is resumed at once, but on a loaded machine "at once" can
  // take a second, and a file that came and went meanwhile is gone for every reader (a real kubelet rotates at most
  // every 10 s; the gap tests cover what is lost).
  app: { template: "gateway {pod} request {n} served in {restart} ms", rate: 40, count: 240, restartAfter: 100, rotateEvery: 90, partialEvery: 24 },
  // Every four lines share one nanosecond timestamp; 78 lines a file, so rotations fall inside groups of four.
  audit: { template: "audit {n}", rate: 30, count: 160, sameTimestamp: 4, rotateEvery: 78 },
};
const LINES = { app: 240, audit: 160 };

/** Scales through the API (the scale subresource), as `kubectl scale` does. */
async function scale(ns: string, name: string, replicas: number): Promise<void> {
  const res = await c.standIn.fetch(`${deploymentsPath(ns)}/${name}/scale`, {
    method: "PATCH",
    body: JSON.stringify({ spec: { replicas } }),
    headers: { "content-type": "application/merge-patch+json" },
  });
  expect(res.status).toBe(200);
}

for (const target of cliTargets()) {
  describe(`recv --follow (${target.name})`, () => {
    test("a Deployment of 3 × 2 containers with restarts, rotations, split lines and shared timestamps: every line once, in order, labelled", async () => {
      const name = `api-gateway-${target.name}`;
      // The workload exists when recv starts (it is resolved first); its pods come afterwards, so every line they
      // print is after recv's start and must be captured.
      await create(c, deploymentsPath("payments"), deployment("payments", name, 0, GATEWAY, { "app.kubernetes.io/name": "gateway", tier: name }));
      const r = await recvFollow(c, ["--follow", `deployment/${name}`, "-n", "payments"], { target });
      await scale("payments", name, 3);
      await whenScriptsDone(c, "payments", name, 3, LINES);
      const total = 3 * (LINES.app + LINES.audit);
      // Not fatal by itself: if lines are missing, the comparisons below say which.
      await waitFor(async () => (await r.metrics())["logtap_follow_lines_total"] === total, 20_000, `${total} lines followed`).catch(() => {});
      const metrics = await r.metrics();
      const stopped = await r.stop();
      expect({ code: stopped.code, warnings: stopped.stderr.split("\n").filter((l) => l.startsWith("warning")) }).toEqual({ code: 0, warnings: [] });

      const entries = captured(r.dir);
      const outputs = outputsOf(c, "payments", name);
      expect(outputs).toHaveLength(6);
      for (const o of outputs) expectExactly(entries, o.pod, o.container, o.history);
      expect(entries).toHaveLength(total);
      for (const o of outputs) {
        // The scripts really did what they say: restarts, rotations, split lines, shared timestamps.
        const h = o.history;
        if (o.container === "app") {
          expect(new Set(h.map((l) => l.containerID)).size).toBe(3);
          expect(h.some((l) => l.records > 1)).toBe(true);
        } else expect(new Set(h.map((l) => l.ns)).size).toBe(LINES.audit / 4);
        expect(Math.max(...h.map((l) => l.file))).toBeGreaterThan(0);
      }
      const pod = outputs[0]!.pod;
      expect(entries.find((e) => e.labels.pod === pod && e.labels.container === "app")!.labels).toEqual({
        namespace: "payments",
        pod,
        container: "app",
        workload_kind: "Deployment",
        workload: name,
        app: "gateway",
      });
      // Counted like pushes: written + dropped == received; nothing lost, no gap.
      expect([metrics["logtap_logs_received_total"], metrics["logtap_logs_dropped_total"], metrics['logtap_follow_gaps_total{reason="rotated"}']]).toEqual([total, 0, 0]);
      expect(metrics["logtap_follow_reconnects_total"]).toBeGreaterThan(0);
      const events = audit(r.dir);
      expect(events.filter((e) => e.event === "follow_gap")).toEqual([]);
      expect(events.find((e) => e.event === "follow_started")).toMatchObject({ targets: `deployment/${name} in payments`, max_streams: 500 });
      expect(events.at(-1)).toMatchObject({ event: "server_stopped", follow_lines: total });
    }, 90_000);
  });
}
