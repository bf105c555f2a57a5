/**
 * waitForRollouts (src/kube/rollout/wait.ts) against the stand-in's controllers and kubelet: a rollout that
 * completes, a new pod that cannot pull (failed at once, naming pod, container and reason), a Deployment past its
 * progress deadline seen by a user who may not list pods, a rollout that runs out of time (with where it stood),
 * and OnDelete, which is not waited for.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { connectCluster, type Cluster } from "../../src/kube/connect.ts";
import type { Pod } from "../../src/kube/rollout/pod-problems.ts";
import { RolloutFailure, waitForRollouts } from "../../src/kube/rollout/wait.ts";
import type { Workload } from "../../src/kube/tap/workload.ts";
import { kubectlMissing } from "../kube-stand-in/kubectl.ts";
import { createNamespace, createRolledOut, workload, type TapCluster, startTapCluster } from "../commands/tap-fixtures.ts";

const skip = kubectlMissing("the rollout wait tests");
let c: TapCluster;
let admin: Cluster;
const NS = "rollouts";

beforeAll(async () => {
  if (skip) return;
  c = await startTapCluster();
  admin = connectCluster({ kubeconfig: c.kubeconfig, timeoutMs: 5000, env: {} });
  await createNamespace(c, NS);
}, 30_000);
afterAll(() => c?.stop());

const path = (w: Workload) => `/apis/apps/v1/namespaces/${NS}/${w.kind.toLowerCase()}s/${w.metadata.name}`;

/** Changes the app container's image (a rollout), returning the stored object. */
async function setImage(cluster: Cluster, w: Workload, image: string): Promise<Workload> {
  const r = await cluster.readModifyWrite<Workload>(path(w), (cur) => {
    cur.spec.template.spec.containers[0]!.image = image;
    return cur;
  });
  return { ...r.object, kind: w.kind };
}

const withImage = (image: string) => (p: Pod) => (p.spec?.containers ?? []).some((x) => (x as { image?: string }).image === image);
const wait = (cluster: Cluster, workload: Workload, image: string, timeoutMs = 20_000) =>
  waitForRollouts(cluster, [{ workload, isNewPod: withImage(image) }], { signal: AbortSignal.timeout(timeoutMs), timeoutMs, pollMs: 200 });

test.skipIf(skip)("a Deployment and a DaemonSet roll out: done, with kubectl's messages", async () => {
  const d = workload("Deployment", NS, "ok", { replicas: 2 });
  const ds = workload("DaemonSet", NS, "agent");
  await createRolledOut(c, d, ds);
  const [sd, sds] = [await setImage(admin, d, "registry.example/app:2"), await setImage(admin, ds, "registry.example/app:2")];
  const settled: string[] = [];
  const out = await waitForRollouts(
    admin,
    [sd, sds].map((workload) => ({ workload, isNewPod: withImage("registry.example/app:2") })),
    { signal: AbortSignal.timeout(20_000), timeoutMs: 20_000, pollMs: 200, onSettled: (ref) => settled.push(ref) },
  );
  expect(out.sort((a, b) => a.ref.localeCompare(b.ref))).toEqual([
    { ref: "DaemonSet/agent", state: "done", message: 'daemon set "agent" successfully rolled out' },
    { ref: "Deployment/ok", state: "done", message: 'deployment "ok" successfully rolled out' },
  ]);
  expect(settled.sort()).toEqual(["DaemonSet/agent", "Deployment/ok"]);
}, 60_000);

test.skipIf(skip)("a new pod that cannot pull its image fails the wait at once, naming the pod", async () => {
  const d = workload("Deployment", NS, "pull", { replicas: 1 });
  await createRolledOut(c, d);
  const started = Date.now();
  const e = await wait(admin, await setImage(admin, d, "registry.example/app:never-pulls"), "registry.example/app:never-pulls").catch((x) => x);
  expect(e).toBeInstanceOf(RolloutFailure);
  expect(e.timedOut).toBe(false);
  expect(e.ref).toBe("Deployment/pull");
  expect(e.message).toMatch(/^Deployment\/pull: pod pull-[a-z0-9]+-[a-z0-9]{5}: container app ImagePullBackOff: /);
  expect(Date.now() - started).toBeLessThan(15_000);
}, 60_000);

test.skipIf(skip)("a user who may not list pods still sees the progress deadline pass", async () => {
  const d = workload("Deployment", NS, "deadline", { replicas: 1 });
  d.spec.progressDeadlineSeconds = 100;
  await createRolledOut(c, d);
  c.standIn.setRules("watcher", [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], namespaces: [NS] }]);
  const watcher = connectCluster({ kubeconfig: c.standIn.kubeconfig({ user: "watcher" }), timeoutMs: 5000, env: {} });
  const e = await wait(watcher, await setImage(admin, d, "registry.example/app:never-pulls"), "registry.example/app:never-pulls").catch((x) => x);
  expect(e).toBeInstanceOf(RolloutFailure);
  expect(e.message).toBe('Deployment/deadline: deployment "deadline" exceeded its progress deadline');
}, 60_000);

test.skipIf(skip)("out of time: where the rollout stood and why its new pod is not ready", async () => {
  const d = workload("Deployment", NS, "slow", { replicas: 1 });
  await createRolledOut(c, d);
  const e = await wait(admin, await setImage(admin, d, "registry.example/app:never-ready"), "registry.example/app:never-ready", 1500).catch((x) => x);
  expect(e).toBeInstanceOf(RolloutFailure);
  expect(e.timedOut).toBe(true);
  expect(e.message).toMatch(/^Deployment\/slow: rollout did not finish within 1\.5s: Waiting for deployment "slow" rollout to finish: .* \(pod slow-[a-z0-9-]+: container app is not ready\)$/);
}, 60_000);

test.skipIf(skip)("OnDelete is not waited for", async () => {
  const ds = workload("DaemonSet", NS, "ondelete");
  ds.spec.updateStrategy = { type: "OnDelete" };
  await c.kubectl.ok(["apply", "-f", "-"], { stdin: JSON.stringify(ds) });
  const out = await wait(admin, await setImage(admin, ds, "registry.example/app:2"), "registry.example/app:2");
  expect(out).toEqual([{ ref: "DaemonSet/ondelete", state: "unwaitable", message: 'daemon set "ondelete" uses the OnDelete strategy: its pods change only when deleted' }]);
}, 60_000);
