/**
 * docs/kubernetes.md's "Only tap and untap" RBAC, applied to the stand-in with kubectl as an operator would: a user
 * bound to nothing else can tap (waiting for the rollout), have a failed tap rolled back, and untap — and without
 * the ClusterRole, tap still works with the fallbacks the docs describe.
 */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/cli.ts";
import { createNamespace, createRolledOut, logtap, sessionOf, templateText, withTapCluster, workload, type FakeReceiver, type TapCluster } from "./tap-fixtures.ts";

let c: TapCluster;
let receiver: FakeReceiver;
const skip = withTapCluster("the tap permissions test", (cluster, r) => ((c = cluster), (receiver = r)));

function docsYaml(): string {
  const text = readFileSync(join(ROOT, "docs", "kubernetes.md"), "utf8");
  const m = /<!-- logtap-tap-rbac-yaml:[^\n]*-->\n```yaml\n([\s\S]*?)```/.exec(text);
  if (!m) throw new Error("docs/kubernetes.md has no logtap-tap-rbac-yaml block");
  return m[1]!;
}

test.skipIf(skip)("the documented Role and ClusterRole are enough for tap, its rollback and untap", async () => {
  const ns = "payments";
  await createNamespace(c, ns);
  await createRolledOut(c, workload("Deployment", ns, "api", { replicas: 1 }), workload("StatefulSet", ns, "db", { replicas: 1 }));
  const before = [await templateText(c, "Deployment", ns, "api"), await templateText(c, "StatefulSet", ns, "db")];
  await c.kubectl.ok(["apply", "-n", ns, "-f", "-"], { stdin: docsYaml() });
  await c.kubectl.ok(["create", "rolebinding", "logtap-tap", "--role=logtap-tap", "--user=alice", "-n", ns]);
  await c.kubectl.ok(["create", "clusterrolebinding", "logtap-tap-alice", "--clusterrole=logtap-tap-cluster", "--user=alice"]);
  const alice = c.standIn.kubeconfig({ user: "alice" });

  const tapped = await logtap(c, ["tap", "--all", "--force", "-n", ns, "--target", receiver.target], { kubeconfig: alice });
  expect([tapped.code, tapped.stderr]).toEqual([0, expect.stringContaining("Rolled out StatefulSet/db\n")]);
  expect(tapped.stderr).toContain("Sidecar mode: native (");
  const s = sessionOf(tapped.stderr);
  const untapped = await logtap(c, ["untap", "--session", s, "-n", ns, "--json"], { kubeconfig: alice });
  expect(untapped.code).toBe(0);
  expect(JSON.parse(untapped.stdout)).toMatchObject({ sessions_removed: 2, rbac_removed: true });
  expect([await templateText(c, "Deployment", ns, "api"), await templateText(c, "StatefulSet", ns, "db")]).toEqual(before);

  // A failed rollout of the StatefulSet: its rollback deletes the broken pod, which this Role allows.
  const failed = await logtap(c, ["tap", "--statefulset", "db", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls"], { kubeconfig: alice });
  expect(failed.code).toBe(7);
  expect(failed.stderr).toContain("Rollback complete");
  expect(failed.stderr).not.toContain("rollback failed");
  expect(await templateText(c, "StatefulSet", ns, "db")).toBe(before[1]);

  // Without the ClusterRole: a warning instead of the production check, container mode instead of native.
  await c.kubectl.ok(["delete", "clusterrolebinding", "logtap-tap-alice"]);
  const narrow = await logtap(c, ["tap", "--deployment", "api", "-n", ns, "--target", receiver.target, "--dry-run"], { kubeconfig: alice });
  expect(narrow.code).toBe(0);
  expect(narrow.stderr).toContain('Warning: could not check namespace labels: get namespace payments: namespaces "payments" is forbidden: User "alice" cannot get resource "namespaces" in API group "" in the namespace "payments"');
  expect(narrow.stderr).toContain("Sidecar mode: container (node kubelet versions unknown (cannot list nodes))");
}, 60_000);
