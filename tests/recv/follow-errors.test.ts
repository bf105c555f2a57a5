/**
 * `recv --follow` refusals, each with its exit code and before the receiver binds or writes anything: bad syntax
 * (2, before any cluster call), follow flags without --follow (2), no cluster configured (3), a workload that does
 * not exist (3), a user who may not list pods (4), an API server that does not answer (5).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { create, deployment, deploymentsPath, startFollowCluster, type FollowCluster } from "./follow-fixtures.ts";

let c: FollowCluster;
beforeAll(async () => {
  c = await startFollowCluster();
  await create(c, deploymentsPath("default"), deployment("default", "web", 1, { app: { template: "web {n}", rate: 1 } }));
}, 30_000);
afterAll(() => c.stop());

async function recv(args: string[], kubeconfig?: string) {
  const dir = join(tempDir(), "capture");
  const cluster = kubeconfig === undefined ? [] : ["--kubeconfig", kubeconfig];
  const r = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, ...args, ...cluster], { target: primaryTarget(), env: { HOME: tempDir(), KUBECONFIG: "" } });
  return { ...r, wrote: existsSync(dir) };
}

describe("recv --follow refusals", () => {
  test("bad --follow values: usage errors (2) and not one request to the cluster", async () => {
    const before = c.standIn.lastRequest;
    for (const [value, message] of [
      ["api-gateway", 'error: invalid --follow "api-gateway": expected kind/name (deployment/api-gateway; kinds: deployment, statefulset, daemonset, job, pod) or a label selector (app=worker)'],
      ["service/web", 'error: invalid --follow "service/web": unknown kind "service" (deployment, statefulset, daemonset, job or pod)'],
      ["app=has space", 'error: invalid --follow "app=has space": invalid label value "has space": at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit'],
    ]) {
      const r = await recv(["--follow", value!], c.kubeconfig);
      expect({ value, code: r.code, stderr: r.stderr.trim(), wrote: r.wrote }).toEqual({ value, code: 2, stderr: message!, wrote: false });
    }
    const flags = await recv(["--follow", "deployment/web", "--all-namespaces"], c.kubeconfig);
    expect([flags.code, flags.stderr.trim()]).toEqual([2, "error: --all-namespaces applies to label selectors; deployment/web names an object of one namespace (use -n)"]);
    const stray = await recv(["--container", "app"]);
    expect([stray.code, stray.stderr.trim()]).toEqual([2, "error: --container needs --follow"]);
    const regex = await recv(["--follow", "app=web", "--container", "a(b"], c.kubeconfig);
    expect(regex.code).toBe(2);
    expect(regex.stderr).toContain("invalid --container");
    expect(c.standIn.requestsSince(before)).toEqual([]);
  });

  test("no cluster configured: 3, with the cluster layer's message", async () => {
    const r = await recv(["--follow", "deployment/web"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: connect to cluster: /);
    expect(r.wrote).toBe(false);
  });

  test("a workload that does not exist: 3, nothing written", async () => {
    const r = await recv(["--follow", "deployment/nope"], c.kubeconfig);
    expect([r.code, r.stderr.trim(), r.wrote]).toEqual([3, 'error: get deployment nope: deployments.apps "nope" not found', false]);
    const p = await recv(["--follow", "pod/nope"], c.kubeconfig);
    expect([p.code, p.stderr.trim()]).toEqual([3, 'error: get pod nope: pods "nope" not found']);
  });

  test("a user who may read the Deployment but not list pods: 4", async () => {
    c.standIn.setRules("carol", [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
    const r = await recv(["--follow", "deployment/web"], c.standIn.kubeconfig({ user: "carol" }));
    expect([r.code, r.stderr.trim(), r.wrote]).toEqual([4, 'error: list pods in default: pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "default"', false]);
  });

  test("an API server that does not answer: 5", async () => {
    await c.standIn.faults.setUnreachable("refuse");
    try {
      const r = await recv(["--follow", "deployment/web"], c.kubeconfig);
      expect([r.code, r.wrote]).toEqual([5, false]);
      expect(r.stderr).toContain("cannot reach the Kubernetes API server");
    } finally {
      await c.standIn.faults.setReachable();
    }
  });
});
