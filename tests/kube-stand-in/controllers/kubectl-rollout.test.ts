/**
 * The controllers as the real kubectl sees them over HTTPS: `kubectl rollout status` for Deployments (a template
 * change, an image that never pulls), `rollout undo` back to the original ReplicaSet, StatefulSet partitions and
 * DaemonSets, and what `kubectl get` shows.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type KubectlCluster, kubectlCluster, kubectlMissing } from "./testing/kubectl-cluster.ts";

const skip = kubectlMissing("the kubectl rollout tests against the stand-in");
let k: KubectlCluster;
beforeAll(async () => {
  if (!skip) k = await kubectlCluster();
});
afterAll(async () => k?.stop());

const deploymentYaml = (name: string, image: string, extra = "") => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 3
${extra}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "${image}"}]
`;

describe.skipIf(skip)("kubectl rollout status", () => {
  test("succeeds after a template change, and the old ReplicaSet is scaled to 0", async () => {
    await k.apply(deploymentYaml("web", "nginx:1.27"));
    expect((await k.kubectl(["rollout", "status", "deployment/web", "--timeout=20s"])).stdout).toContain('deployment "web" successfully rolled out');
    expect((await k.kubectl(["set", "image", "deployment/web", "app=nginx:1.28"])).exitCode).toBe(0);
    const r = await k.kubectl(["rollout", "status", "deployment/web", "--timeout=20s"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toBe('deployment "web" successfully rolled out');
    const rs = await k.kubectl(["get", "rs", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas} {end}"]);
    expect(rs.stdout.trim().split(" ").sort()).toEqual(["1=0", "2=3"]);
    const history = await k.kubectl(["rollout", "history", "deployment/web"]);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  });

  test("rollout undo goes back to the first ReplicaSet: the pod-template hash is the original one", async () => {
    const hashOf = async () => (await k.kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.labels.pod-template-hash}"])).stdout.split(" ");
    const original = (await k.kubectl(["get", "rs", "-l", "app=web", "-o", "jsonpath={.items[?(@.metadata.annotations.deployment\\.kubernetes\\.io/revision==\"1\")].metadata.labels.pod-template-hash}"])).stdout;
    expect(original).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect((await k.kubectl(["rollout", "undo", "deployment/web"])).stdout).toContain("deployment.apps/web rolled back");
    expect((await k.kubectl(["rollout", "status", "deployment/web", "--timeout=20s"])).exitCode).toBe(0);
    await Bun.sleep(100);
    expect(new Set(await hashOf())).toEqual(new Set([original]));
    const revision = await k.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"]);
    expect(revision.stdout).toBe("3");
  });

  test("fails with kubectl's progress-deadline message for an image that never pulls", async () => {
    await k.apply(deploymentYaml("stuck", "nginx:1.27", "  progressDeadlineSeconds: 10\n"));
    expect((await k.kubectl(["rollout", "status", "deployment/stuck", "--timeout=20s"])).exitCode).toBe(0);
    await k.kubectl(["set", "image", "deployment/stuck", "app=registry.example/app:never-pulls"]);
    const r = await k.kubectl(["rollout", "status", "deployment/stuck", "--timeout=20s"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe('error: deployment "stuck" exceeded its progress deadline');
    const pods = await k.kubectl(["get", "pods", "-l", "app=stuck"]);
    expect(pods.stdout).toMatch(/stuck-\S+\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s+0/);
    expect(pods.stdout.match(/1\/1\s+Running/g)?.length).toBe(3);
  });

  test("StatefulSet: a partition rolls out only the ordinals above it", async () => {
    await k.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
`);
    expect((await k.kubectl(["rollout", "status", "statefulset/db", "--timeout=20s"])).stdout).toContain("partitioned roll out complete: 3 new pods have been updated...");
    await k.kubectl(["set", "image", "statefulset/db", "db=postgres:17"]);
    const r = await k.kubectl(["rollout", "status", "statefulset/db", "--timeout=20s"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toBe("partitioned roll out complete: 2 new pods have been updated...");
    const images = await k.kubectl(["get", "pods", "-l", "app=db", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}"]);
    expect(images.stdout.trim().split(" ").sort()).toEqual(["db-0=postgres:16", "db-1=postgres:17", "db-2=postgres:17"]);
    const status = await k.kubectl(["get", "sts", "db", "-o", "jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas}"]);
    const [current, update, updated] = status.stdout.split(" ");
    expect(current).not.toBe(update);
    expect(updated).toBe("2");
    const onDelete = await k.kubectl(["patch", "sts", "db", "-p", '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}']);
    expect(onDelete.exitCode).toBe(0);
    const refused = await k.kubectl(["rollout", "status", "statefulset/db", "--timeout=5s"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.trim()).toBe("error: rollout status is only available for RollingUpdate strategy type");
  });

  test("DaemonSet: one pod per node, counts as kubectl reads them", async () => {
    await k.apply(`
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "agent:1"}]
`);
    expect((await k.kubectl(["rollout", "status", "daemonset/agent", "--timeout=20s"])).stdout).toContain('daemon set "agent" successfully rolled out');
    await k.kubectl(["set", "image", "daemonset/agent", "agent=agent:2"]);
    expect((await k.kubectl(["rollout", "status", "daemonset/agent", "--timeout=20s"])).stdout.trim().split("\n").pop()).toBe('daemon set "agent" successfully rolled out');
    const ds = await k.kubectl(["get", "ds", "agent", "--no-headers"]);
    expect(ds.stdout).toMatch(/^agent\s+2\s+2\s+2\s+2\s+2\s+<none>/);
    const nodes = await k.kubectl(["get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"]);
    expect(nodes.stdout.split(" ").sort()).toEqual(["stand-in-node-1", "stand-in-node-2"]);
  });

  test("kubectl get nodes shows the kubelet version native-sidecar detection reads", async () => {
    const r = await k.kubectl(["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.kubeletVersion} {end}"]);
    expect(r.stdout.trim()).toBe("stand-in-node-1=v1.31.0 stand-in-node-2=v1.31.0");
  });
});
