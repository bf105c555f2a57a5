/**
 * The ways of choosing what `recv --follow` reads and for how long: a label selector with pods added by a
 * scale-up, `--container`, `--since` (history from before the start) and without it (only new lines), a bare pod,
 * `--duration` with the `--json` summary, the `--max-streams` budget (a warning, never a crash), and `--redact`
 * applied to followed lines as to pushed ones. Each checked against the kubelet's ground truth via the zstd CLI.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { audit, captured, create, deployment, deploymentsPath, expectExactly, outputsOf, recvFollow, startFollowCluster, whenScriptsDone, type FollowCluster } from "./follow-fixtures.ts";
import { join } from "node:path";

let c: FollowCluster;
beforeAll(async () => {
  c = await startFollowCluster(["jobs", "solo", "many", "pii"]);
}, 30_000);
afterAll(() => c.stop());

async function scale(ns: string, name: string, replicas: number): Promise<void> {
  const res = await c.standIn.fetch(`${deploymentsPath(ns)}/${name}/scale`, { method: "PATCH", body: JSON.stringify({ spec: { replicas } }), headers: { "content-type": "application/merge-patch+json" } });
  expect(res.status).toBe(200);
}

function pod(namespace: string, name: string, script: Record<string, unknown>) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: name }, annotations: { "stand-in.logtap.dev/logs.app": JSON.stringify(script) } },
    spec: { containers: [{ name: "app", image: "registry.example/app:1" }] },
  };
}

test("a label selector and --container: pods a scale-up adds are followed; --since brings the lines printed before the start", async () => {
  const scripts = { main: { template: "work item {n} on {pod}", rate: 40, count: 120 }, sidecar: { template: "proxy {n}", rate: 40 } };
  await create(c, deploymentsPath("jobs"), deployment("jobs", "worker", 1, scripts));
  // The first pod has printed part of its script before recv starts: --since 1h brings it.
  await waitFor(() => outputsOf(c, "jobs", "worker").some((o) => o.container === "main" && o.written >= 20), 10_000, "the first worker's lines");
  const r = await recvFollow(c, ["--follow", "app=worker", "-n", "jobs", "--container", "^main$", "--since", "1h"]);
  await scale("jobs", "worker", 3);
  await whenScriptsDone(c, "jobs", "worker", 3, { main: 120, sidecar: 1 });
  await waitFor(async () => (await r.metrics())["logtap_follow_lines_total"] === 360, 15_000, "360 lines followed");
  expect((await r.stop()).code).toBe(0);
  const entries = captured(r.dir);
  expect(entries).toHaveLength(360);
  const mains = outputsOf(c, "jobs", "worker").filter((o) => o.container === "main");
  expect(mains).toHaveLength(3);
  for (const o of mains) expectExactly(entries, o.pod, "main", o.history);
  expect(entries.filter((e) => e.labels.container !== "main")).toEqual([]);
  expect(audit(r.dir).find((e) => e.event === "follow_started")?.targets).toBe("app=worker in jobs");
}, 60_000);

test("--duration ends recv and --json prints one summary; without --since only lines printed after the start are taken", async () => {
  await create(c, "/api/v1/namespaces/solo/pods", pod("solo", "solo", { template: "solo {n}", count: 20 }));
  await waitFor(() => outputsOf(c, "solo", "solo")[0]?.written === 20, 10_000, "the pod's 20 lines");
  const run = (extra: string[]) => {
    const dir = join(tempDir(), "capture");
    const args = ["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, "--follow", "pod/solo", "-n", "solo", "--kubeconfig", c.kubeconfig, "--duration", "1500ms", "--json", ...extra];
    return runCli(args, { target: primaryTarget(), env: { HOME: tempDir(), KUBECONFIG: "" } }).then((res) => ({ ...res, dir }));
  };
  const withHistory = await run(["--since", "10m"]);
  expect(withHistory.code).toBe(0);
  expect(withHistory.stdout.trim().split("\n")).toHaveLength(1);
  const summary = JSON.parse(withHistory.stdout);
  expect(summary).toEqual({ dir: withHistory.dir, lines: 20, bytes: summary.bytes, received: 20, drops: 0, gaps: 0, files: 1 });
  expect(summary.bytes).toBeGreaterThan(20 * 60);
  expectExactly(captured(withHistory.dir), "solo", "app", outputsOf(c, "solo", "solo")[0]!.history);
  expect(captured(withHistory.dir)[0]!.labels).toEqual({ namespace: "solo", pod: "solo", container: "app", app: "solo" });

  const onlyNew = await run([]);
  expect(onlyNew.code).toBe(0);
  expect(JSON.parse(onlyNew.stdout)).toMatchObject({ lines: 0, received: 0, gaps: 0, files: 0 });
}, 60_000);

test("--max-streams: containers beyond it wait, with a warning on stderr and in audit.jsonl; recv keeps running", async () => {
  await create(c, deploymentsPath("many"), deployment("many", "many", 2, { a: { template: "a {n}", rate: 5 }, b: { template: "b {n}", rate: 5 } }));
  await waitFor(() => outputsOf(c, "many", "many").filter((o) => o.written > 0).length === 4, 10_000, "four containers printing");
  const r = await recvFollow(c, ["--follow", "deployment/many", "-n", "many", "--max-streams", "3"]);
  await waitFor(() => r.stderr().includes("--max-streams budget of 3"), 15_000, "the budget warning");
  expect(r.stderr()).toMatch(/warning: following 3 containers, the --max-streams budget of 3: 1 more wait for a free stream \(many\/many-[a-z0-9-]+\/[ab]\); raise --max-streams to read them now/);
  await waitFor(async () => (await r.metrics())["logtap_follow_lines_total"]! > 0, 10_000, "lines from the three streams");
  const m = await r.metrics();
  expect([m["logtap_follow_streams_active"], m["logtap_follow_streams_waiting"]]).toEqual([3, 1]);
  const { code } = await r.stop();
  expect(code).toBe(0);
  expect(audit(r.dir).find((e) => e.event === "follow_budget_reached")).toMatchObject({ max_streams: 3, waiting: 1 });
  expect(new Set(captured(r.dir).map((e) => `${e.labels.pod}/${e.labels.container}`)).size).toBe(3);
}, 60_000);

test("--redact applies to followed lines as to pushed ones, and counts the hits", async () => {
  await create(c, "/api/v1/namespaces/pii/pods", pod("pii", "mailer", { lines: ["sent to alice@example.com", "plain line", "cc bob@example.org"], rate: 20 }));
  const r = await recvFollow(c, ["--follow", "pod/mailer", "-n", "pii", "--since", "1h", "--redact"]);
  await waitFor(async () => (await r.metrics())["logtap_follow_lines_total"] === 3, 15_000, "three lines");
  const m = await r.metrics();
  expect((await r.stop()).code).toBe(0);
  expect(captured(r.dir).map((e) => e.msg)).toEqual(["sent to [REDACTED:email]", "plain line", "cc [REDACTED:email]"]);
  expect(m['logtap_redactions_total{pattern="email"}']).toBe(2);
}, 60_000);
