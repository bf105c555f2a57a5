/**
 * check's `recv --follow` rows against what `recv --follow` really asks, on the stand-in with its RBAC: a user granted
 * exactly those rows (as Role-style rules in one namespace) is told recv --follow is fine and follows a Deployment, a
 * StatefulSet, a DaemonSet, a Job and a pod without one refused request; a user lacking any single row is told that
 * row is missing, and the same follow is refused (403) exactly there — so every row is needed and none is absent.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { COMMAND_PERMISSIONS, permissionKey } from "../../src/kube/check/permissions.ts";
import type { Permission } from "../../src/kube/rbac-permission.ts";
import type { TestRule } from "../kube-stand-in/rbac.ts";
import { primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { captured, create, deployment, deploymentsPath, startFollowCluster, type FollowCluster } from "../recv/follow-fixtures.ts";

const FOLLOW_ROWS = COMMAND_PERMISSIONS["recv --follow"];
const TARGETS = ["deployment/web", "statefulset/db", "daemonset/agent", "job/batch", "pod/"];
let c: FollowCluster;
let podName: string;

const selectorOnly = (name: string) => ({ selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "registry.example/c:1" }] } } });

beforeAll(async () => {
  c = await startFollowCluster();
  await create(c, deploymentsPath("default"), deployment("default", "web", 1, { app: { template: "web {n}", rate: 20 } }));
  // Objects to resolve, whose pods never run: the follow only needs their selectors.
  await create(c, "/apis/apps/v1/namespaces/default/statefulsets", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "default" }, spec: { replicas: 0, serviceName: "db", ...selectorOnly("db") } });
  const agent = selectorOnly("agent");
  (agent.template.spec as Record<string, unknown>).nodeSelector = { "no-such-node": "1" };
  await create(c, "/apis/apps/v1/namespaces/default/daemonsets", { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "default" }, spec: agent });
  const batch = selectorOnly("batch");
  (batch.template.spec as Record<string, unknown>).restartPolicy = "Never";
  await create(c, "/apis/batch/v1/namespaces/default/jobs", { apiVersion: "batch/v1", kind: "Job", metadata: { name: "batch", namespace: "default" }, spec: { manualSelector: true, suspend: true, ...batch } });
  const deadline = Date.now() + 20_000;
  while (podName === undefined && Date.now() < deadline) {
    const pods = (await (await c.standIn.fetch("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).json()) as { items: { metadata: { name: string } }[] };
    podName = pods.items[0]?.metadata.name!;
    await Bun.sleep(50);
  }
  if (podName === undefined) throw new Error("the Deployment's pod never appeared");
}, 60_000);
afterAll(() => c?.stop());

function rule(p: Permission): TestRule {
  return { verbs: [p.verb], apiGroups: [p.group], resources: [p.resource], namespaces: ["default"] };
}

async function asUser(user: string, rows: Permission[]) {
  c.standIn.setRules(user, rows.map(rule));
  const kubeconfig = c.standIn.kubeconfig({ user });
  const env = { HOME: tempDir(), KUBECONFIG: "" };
  const check = await runCli(["check", "-n", "default", "--json", "--kubeconfig", kubeconfig], { target: primaryTarget(), env });
  // check itself lists what it may not (its own rows): only the follow's refusals count.
  const since = c.standIn.lastRequest;
  const dir = join(tempDir(), "capture");
  const follows = TARGETS.flatMap((t) => ["--follow", t === "pod/" ? `pod/${podName}` : t]);
  const recv = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, "--duration", "3s", ...follows, "--kubeconfig", kubeconfig], { target: primaryTarget(), env });
  const refused = c.standIn.requestsSince(since).filter((q) => q.user === user && q.code === 403).map((q) => `${q.verb} ${q.group}/${q.resource}${q.subresource ? `/${q.subresource}` : ""}`);
  return { check: JSON.parse(check.stdout).permissions["recv --follow"], recv, refused: [...new Set(refused)], dir };
}

describe("check's recv --follow rows are what recv --follow asks", () => {
  test("the rows: get, list, watch pods; get pods/log; get on each kind --follow can name", () => {
    expect(FOLLOW_ROWS.map(permissionKey)).toEqual([
      "get /pods", "list /pods", "watch /pods", "get /pods/log",
      "get apps/deployments", "get apps/statefulsets", "get apps/daemonsets", "get batch/jobs",
    ]);
    expect(FOLLOW_ROWS.filter((p) => p.when !== undefined).map((p) => p.when)).toEqual(["--follow deployment/…", "--follow statefulset/…", "--follow daemonset/…", "--follow job/…"]);
  });

  test("granted exactly the rows: check says ok, and following every kind at once is never refused", async () => {
    const r = await asUser("follower", FOLLOW_ROWS);
    expect(r.check).toEqual({ ok: true, missing: [] });
    expect({ code: r.recv.code, refused: r.refused }).toEqual({ code: 0, refused: [] });
    expect(existsSync(r.dir)).toBe(true);
    expect(captured(r.dir).filter((e) => e.labels.pod === podName).length).toBeGreaterThan(0);
  }, 30_000);

  test("lacking any one row: check names exactly that row, and the follow is refused exactly there", async () => {
    for (const [i, row] of FOLLOW_ROWS.entries()) {
      const r = await asUser(`follower-${i}`, FOLLOW_ROWS.filter((p) => p !== row));
      const key = permissionKey(row);
      expect({ key, missing: r.check.missing.map(permissionKey) }).toEqual({ key, missing: [key] });
      expect({ key, refused: r.refused }).toEqual({ key, refused: [key] });
    }
  }, 120_000);
});
