/**
 * `logtap tap` against the stand-in over mutual TLS, as the compiled binary and from the sources, with every
 * object checked through the real kubectl: the text and JSON output, input checks that never reach the cluster,
 * tap → untap leaving the pod template byte for byte as it was, conflicting writers, an RBAC refusal on the third
 * workload (the first two rolled back), rollouts that fail and are rolled back, StatefulSets and DaemonSets, the
 * sidecar mode per API server and kubelet versions, --no-wait, --dry-run, production namespaces, the receiver
 * pre-check, the resource pre-checks, the config keys and --timeout.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { OTHER_WRITER_ANNOTATION } from "../kube-stand-in/faults.ts";
import { setKubeletVersion } from "../kube-stand-in/kubelet/nodes.ts";
import { cliTargets } from "../support/cli.ts";
import { makeTestCerts } from "../support/tls-certs.ts";
import {
  apply,
  closedPort,
  createNamespace,
  createRolledOut,
  get,
  logtap,
  sessionOf,
  startTapCluster,
  templateText,
  tempFile,
  workload,
  withTapCluster,
  type FakeReceiver,
  type TapCluster,
} from "./tap-fixtures.ts";
import { waitFor } from "../support/wait-for.ts";
import { streamText } from "../support/stream-text.ts";

let c: TapCluster;
let receiver: FakeReceiver;
let namespaces = 0;
const skip = withTapCluster("the tap command tests", (cluster, r) => ((c = cluster), (receiver = r)));

async function freshNamespace(labels: Record<string, string> = {}): Promise<string> {
  const ns = `tap-${++namespaces}`;
  await createNamespace(c, ns, labels);
  return ns;
}

const SESSION = /lt-[0-9a-f]{16}/;

/** As the kubelet reports it: one of the node's conditions changed in its status. */
function setNodeCondition(node: string, type: string, status: string): void {
  const store = c.standIn.store;
  const nodes = store.resourceType("", "nodes")!;
  const n = store.get(nodes, undefined, node)!;
  n.status.conditions = n.status.conditions.map((x: { type: string }) => (x.type === type ? { ...x, status } : x));
  store.update(nodes, n, { subresource: "status" });
}
const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe.skipIf(skip)("input checks, in upstream's order, before any request", () => {
  const cases: [string[], string][] = [
    [["--deployment", "web"], 'required flag(s) "target" not set'],
    [["--target", "host port", "--deployment", "web"], 'invalid --target "host port": must be hostname, hostname:port or http(s)://hostname[:port] (alphanumeric, dots, hyphens only)'],
    [["--target", "https://recv.example:3100/push", "--deployment", "web"], 'invalid --target "https://recv.example:3100/push": must be hostname, hostname:port or http(s)://hostname[:port] (alphanumeric, dots, hyphens only)'],
    // The target is checked before the quantities, the quantities before the mode.
    [["--target", "a;b", "--sidecar-memory", "lots"], 'invalid --target "a;b": must be hostname, hostname:port or http(s)://hostname[:port] (alphanumeric, dots, hyphens only)'],
    [["--target", "recv:3100", "--sidecar-memory", "lots"], 'invalid --sidecar-memory "lots": must be a valid Kubernetes resource quantity (e.g. 16Mi, 25m, 100m, 64Mi)'],
    [["--target", "recv:3100", "--sidecar-cpu", "-1", "--deployment", "web"], 'invalid --sidecar-cpu "-1": must be a valid Kubernetes resource quantity (e.g. 16Mi, 25m, 100m, 64Mi)'],
    [["--target", "recv:3100"], "specify one of --deployment, --statefulset, --daemonset, --selector, or --all"],
    [["--target", "recv:3100", "--deployment", "a", "-l", "app=b"], "specify only one of --deployment, --statefulset, --daemonset, --selector, or --all"],
    [["--target", "recv:3100", "--all"], "--all requires --force to confirm bulk tapping (or use --dry-run)"],
    [["--target", "recv:3100", "--deployment", "a", "--forwarder", "vector"], '--forwarder must be "logtap" or "fluent-bit"'],
    [["--target", "recv:3100", "--deployment", "a", "--forwarder", "fluent-bit"], "--image is required when using --forwarder fluent-bit (no default Fluent Bit image)"],
    [["--target", "recv:3100", "--deployment", "a", "--sidecar-mode", "sidecar"], '--sidecar-mode must be "auto", "native" or "container"'],
    [["--target", "recv:3100", "--deployment", "a", "--timeout", "5 minutes"], 'invalid --timeout: invalid duration "5 minutes"'],
    [["--target", "recv:3100", "--deployment", "a", "--wait=maybe"], 'invalid value "maybe" for --wait: expected true or false'],
  ];
  for (const target of cliTargets()) {
    test(`${target.name}: each refused with exit 2 and its message; the stand-in sees nothing`, async () => {
      const before = c.standIn.lastRequest;
      for (const [args, message] of cases) {
        const r = await logtap(c, ["tap", ...args], { target });
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `error: ${message}\n` });
        expect(r.stdout).toBe("");
      }
      const json = await logtap(c, ["tap", "--target", "recv:3100", "--json"], { target });
      expect(JSON.parse(json.stderr)).toEqual({ exit_code: 2, error: "invalid_args", message: "specify one of --deployment, --statefulset, --daemonset, --selector, or --all", recoverable: false });
      expect(c.standIn.requestsSince(before)).toEqual([]);
    }, 60_000);
  }
});

describe.skipIf(skip)("tap → untap", () => {
  for (const target of cliTargets()) {
    test(`${target.name}: text output, the native sidecar and RBAC as kubectl sees them, and untap gives the template back byte for byte`, async () => {
      const ns = await freshNamespace();
      await createRolledOut(c, workload("Deployment", ns, "web", { annotations: { team: "shop" } }));
      const before = await templateText(c, "Deployment", ns, "web");
      const originalHash = (await c.kubectl.json(["get", "rs", "-n", ns])).items[0].metadata.labels["pod-template-hash"];

      const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target], { target });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      const s = sessionOf(r.stderr);
      expect(r.stderr).toBe(
        [
          "Sidecar mode: native (API server and all 2 kubelet(s) are 1.29 or newer)",
          `Tapped Deployment/web (session ${s})`,
          "Waiting for the rollout (--timeout 30s; --no-wait to skip)...",
          "Rolled out Deployment/web",
          "",
          `Session: ${s}`,
          `Target:  ${receiver.target}`,
          `Use 'logtap untap --session ${s}' to remove`,
          "",
        ].join("\n"),
      );

      const d = await get(c, "Deployment", ns, "web");
      const t = d.spec.template;
      expect(t.metadata.annotations).toMatchObject({ team: "shop", "logtap.dev/tapped": s, "logtap.dev/target": receiver.target });
      expect(t.spec.containers.map((x: any) => x.name)).toEqual(["app"]);
      expect(t.spec.initContainers).toHaveLength(1);
      expect(t.spec.initContainers[0]).toMatchObject({ name: `logtap-forwarder-${s}`, restartPolicy: "Always" });
      // Rolled out when tap returned: every pod runs the sidecar.
      expect(d.status).toMatchObject({ updatedReplicas: 2, availableReplicas: 2, replicas: 2 });
      const pods = await c.kubectl.json(["get", "pods", "-n", ns, "-l", "app=web"]);
      const live = pods.items.filter((p: any) => !p.metadata.deletionTimestamp);
      expect(live.every((p: any) => p.spec.initContainers?.some((x: any) => x.name === `logtap-forwarder-${s}`))).toBe(true);
      const role = await c.kubectl.json(["get", "role", "logtap-forwarder", "-n", ns]);
      expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }]);
      const binding = await c.kubectl.json(["get", "rolebinding", "logtap-forwarder", "-n", ns]);
      expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "logtap-forwarder" });
      // The API server fills in the core group for a ServiceAccount subject.
      expect(binding.subjects).toEqual([{ apiGroup: "", kind: "ServiceAccount", name: "default", namespace: ns }]);

      const u = await logtap(c, ["untap", "--session", s, "-n", ns], { target });
      expect(u.code).toBe(0);
      expect(u.stderr).toBe(`Untapped Deployment/web (session ${s})\n\nRemoved 1 session(s) from 1 workload(s)\n`);
      expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
      expect((await c.kubectl.run(["get", "role,rolebinding", "-n", ns])).stderr).toContain("No resources found");
      // Same template, same hash: the original ReplicaSet is the one running again.
      await c.kubectl.ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout", "30s"]);
      const sets = (await c.kubectl.json(["get", "rs", "-n", ns])).items;
      const running = sets.filter((rs: any) => rs.spec.replicas > 0);
      expect(running.map((rs: any) => rs.metadata.labels["pod-template-hash"])).toEqual([originalHash]);
    }, 60_000);

    test(`${target.name}: --json gives the run as data`, async () => {
      const ns = await freshNamespace();
      await createRolledOut(c, workload("Deployment", ns, "api", { replicas: 1 }));
      const r = await logtap(c, ["tap", "--deployment", "api", "-n", ns, "--target", receiver.target, "--json"], { target });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.session).toMatch(SESSION);
      expect(out).toMatchObject({
        dry_run: false,
        target: receiver.target,
        namespace: ns,
        sidecar_mode: { mode: "native", reason: "API server and all 2 kubelet(s) are 1.29 or newer" },
        warnings: [],
      });
      expect(out.workloads).toHaveLength(1);
      expect(out.workloads[0]).toMatchObject({
        workload: { kind: "Deployment", name: "api", namespace: ns },
        session: out.session,
        sidecar: { name: `logtap-forwarder-${out.session}`, list: "initContainers" },
        containers: { added: [{ name: `logtap-forwarder-${out.session}`, list: "initContainers" }], removed: [] },
        config_maps: { create: [], delete: [] },
        write_attempts: 1,
        rollout: { state: "done", message: 'deployment "api" successfully rolled out' },
      });
      expect(out.workloads[0].annotations.map((a: any) => a.key)).toEqual(["logtap.dev/tapped", "logtap.dev/target", "logtap.dev/tap-record"]);
      const u = await logtap(c, ["untap", "--session", out.session, "-n", ns, "--json"], { target });
      expect(JSON.parse(u.stdout)).toMatchObject({ dry_run: false, sessions_removed: 1, rbac_removed: true, workloads: [{ workload: { name: "api" }, removed: [{ session: out.session, by: "record" }] }] });
    }, 60_000);
  }
});

describe.skipIf(skip)("--dry-run", () => {
  test("the unified diff on stdout, [dry-run] headers and notes on stderr; only reads reach the cluster", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    const since = c.standIn.lastRequest;
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", "recv.example:3100", "--force", "--dry-run", "--sidecar-mode", "container"]);
    expect(r.code).toBe(0);
    const s = SESSION.exec(r.stdout)![0];
    expect(r.stdout.startsWith(`--- ${ns}/Deployment/web spec.template (current)\n+++ ${ns}/Deployment/web spec.template (tapped, session ${s})\n@@ `)).toBe(true);
    for (const line of ["+        logtap.dev/tapped: " + s, "+        logtap.dev/target: recv.example:3100", `+        name: logtap-forwarder-${s}`, "+              - /logtap-forwarder", "+            memory: 160Mi"]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
    expect(r.stdout.endsWith("\n\n")).toBe(true);
    expect(lines(r.stderr)).toEqual([
      "Sidecar mode: container (--sidecar-mode container)",
      "[dry-run] Deployment/web:",
      "  Note: ensure terminationGracePeriodSeconds >= 10 for graceful sidecar drain",
    ]);
    const methods = new Set(c.standIn.requestsSince(since).map((q) => q.method));
    expect([...methods]).toEqual(["GET"]);
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
    expect((await c.kubectl.run(["get", "role", "-n", ns])).stderr).toContain("No resources found");
  }, 60_000);

  test("--all --dry-run needs no --force; with --json the change per workload, and stdout holds only the JSON", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "a", { replicas: 1 }), workload("StatefulSet", ns, "b", { replicas: 1 }));
    const r = await logtap(c, ["tap", "--all", "-n", ns, "--target", receiver.target, "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dry_run).toBe(true);
    expect(out.workloads.map((w: any) => `${w.workload.kind}/${w.workload.name}`)).toEqual(["Deployment/a", "StatefulSet/b"]);
    expect(out.workloads.every((w: any) => w.write_attempts === 0 && w.rollout === null && w.containers.added.length === 1)).toBe(true);
    expect(r.stderr).toContain("[dry-run] StatefulSet/b:");
  }, 60_000);
});

describe.skipIf(skip)("conflicting writers", () => {
  test("two other writers between read and write: read again, plan again, the other writer's change kept; untap the same", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    const ref = { group: "apps", resource: "deployments", namespace: ns, name: "web" };
    c.standIn.faults.conflictNextWrites(ref, 2);
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--json", "--no-wait"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.workloads[0].write_attempts).toBe(3);
    const d = await get(c, "Deployment", ns, "web");
    expect(d.metadata.annotations[OTHER_WRITER_ANNOTATION]).toBeDefined();
    expect(d.spec.template.metadata.annotations["logtap.dev/tapped"]).toBe(out.session);
    c.standIn.faults.conflictNextWrites(ref, 1);
    const u = await logtap(c, ["untap", "--session", out.session, "-n", ns, "--json"]);
    expect(JSON.parse(u.stdout).workloads[0].write_attempts).toBe(2);
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
  }, 60_000);

  test("a writer that wins five times: the tap gives up with the server's 409 message, nothing was changed", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    c.standIn.faults.conflictNextWrites({ group: "apps", resource: "deployments", namespace: ns, name: "web" }, 5);
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toBe(
      `error: inject Deployment/web: Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again (gave up after 5 attempts: the object kept changing under us)`,
    );
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
  }, 60_000);
});

describe.skipIf(skip)("a failure on the third workload", () => {
  async function threeWorkloads(): Promise<{ ns: string; before: string[] }> {
    const ns = await freshNamespace();
    const ws = ["a", "b", "c"].map((n) => workload("Deployment", ns, n, { replicas: 1, labels: { tier: "web" } }));
    await createRolledOut(c, ...ws);
    return { ns, before: await Promise.all(["a", "b", "c"].map((n) => templateText(c, "Deployment", ns, n))) };
  }

  test("RBAC: alice may not update the third; exit 4 naming verb and resource, the first two rolled back, the forwarder RBAC removed", async () => {
    const { ns, before } = await threeWorkloads();
    const read = ["get", "list", "watch"];
    c.standIn.setRules("alice", [
      { verbs: ["get"], apiGroups: [""], resources: ["namespaces"] },
      { verbs: ["list"], apiGroups: [""], resources: ["nodes"] },
      { verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], namespaces: [ns] },
      { verbs: ["update"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["a", "b"], namespaces: [ns] },
      { verbs: read, apiGroups: [""], resources: ["pods", "pods/log"], namespaces: [ns] },
      { verbs: ["list"], apiGroups: [""], resources: ["resourcequotas", "limitranges"], namespaces: [ns] },
      { verbs: ["get", "create", "update", "delete"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], namespaces: [ns] },
    ]);
    const alice = c.standIn.kubeconfig({ user: "alice" });
    const r = await logtap(c, ["tap", "-l", "tier=web", "-n", ns, "--target", receiver.target], { kubeconfig: alice });
    expect(r.code).toBe(4);
    const out = lines(r.stderr);
    expect(out.slice(1)).toEqual([
      "Tapping Deployment/a [1/3]...",
      expect.stringMatching(/^Tapped Deployment\/a \(session lt-/),
      "Tapping Deployment/b [2/3]...",
      expect.stringMatching(/^Tapped Deployment\/b \(session lt-/),
      "Tapping Deployment/c [3/3]...",
      "Rolling back 2 tapped workload(s)...",
      "Rolling back: untapping Deployment/a...",
      "Rolling back: untapping Deployment/b...",
      "Rollback complete",
      `error: inject Deployment/c: deployments.apps "c" is forbidden: User "alice" cannot update resource "deployments" in API group "apps" in the namespace "${ns}"`,
    ]);
    expect(await Promise.all(["a", "b", "c"].map((n) => templateText(c, "Deployment", ns, n)))).toEqual(before);
    expect((await c.kubectl.run(["get", "role,rolebinding", "-n", ns])).stderr).toContain("No resources found");
  }, 60_000);

  test("a server error on the third: exit 1; with --no-rollback the first two stay tapped", async () => {
    const { ns, before } = await threeWorkloads();
    const fail = { verb: "update", group: "apps", resource: "deployments", namespace: ns, name: "c", code: 500, message: "etcdserver: request timed out" };
    c.standIn.faults.failNext(fail);
    const r = await logtap(c, ["tap", "-l", "tier=web", "-n", ns, "--target", receiver.target, "--no-wait"]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toBe("error: inject Deployment/c: etcdserver: request timed out");
    expect(r.stderr).toContain("Rollback complete");
    expect(await Promise.all(["a", "b", "c"].map((n) => templateText(c, "Deployment", ns, n)))).toEqual(before);

    c.standIn.faults.failNext(fail);
    const kept = await logtap(c, ["tap", "-l", "tier=web", "-n", ns, "--target", receiver.target, "--no-wait", "--no-rollback"]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).not.toContain("Rolling back");
    const after = await Promise.all(["a", "b", "c"].map((n) => get(c, "Deployment", ns, n)));
    expect(after.map((d) => d.spec.template.metadata.annotations?.["logtap.dev/tapped"] !== undefined)).toEqual([true, true, false]);
  }, 60_000);
});

describe.skipIf(skip)("rollouts that fail", () => {
  test("a sidecar image that never pulls: exit 7 naming the pod and ImagePullBackOff; kubectl shows the original template and ReplicaSet again", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 2 }));
    const before = await templateText(c, "Deployment", ns, "web");
    const originalRs = (await c.kubectl.json(["get", "rs", "-n", ns])).items[0];
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls"]);
    expect(r.code).toBe(7);
    const error = lines(r.stderr).at(-1)!;
    expect(error).toMatch(
      /^error: rollout failed: Deployment\/web: pod web-[a-z0-9]+-[a-z0-9]{5}: container logtap-forwarder-lt-[0-9a-f]{16} ImagePullBackOff: .*never-pulls.*; rolled back 1 workload\(s\)$/,
    );
    expect(r.stderr).toContain("\nRolling back 1 tapped workload(s)...\nRolling back: untapping Deployment/web...\nRollback complete\n");
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
    await c.kubectl.ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout", "30s"]);
    const sets = (await c.kubectl.json(["get", "rs", "-n", ns])).items;
    const newest = sets.reduce((a: any, b: any) => (Number(a.metadata.annotations["deployment.kubernetes.io/revision"]) > Number(b.metadata.annotations["deployment.kubernetes.io/revision"]) ? a : b));
    expect(newest.metadata.name).toBe(originalRs.metadata.name);
    expect(newest.status.readyReplicas).toBe(2);
    expect(sets.filter((rs: any) => rs.metadata.name !== originalRs.metadata.name).map((rs: any) => rs.spec.replicas)).toEqual([0]);
  }, 60_000);

  test("--json: the error as JSON (rollout_failed); --no-rollback keeps the tap and says how to remove it", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls", "--json"]);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe("");
    const err = JSON.parse(lines(r.stderr).at(-1)!);
    expect(err).toMatchObject({ exit_code: 7, error: "rollout_failed", recoverable: false });
    expect(err.message).toContain("ImagePullBackOff");

    const kept = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls", "--no-rollback"]);
    expect(kept.code).toBe(7);
    const s = SESSION.exec(kept.stderr)![0];
    expect(lines(kept.stderr).at(-1)).toMatch(new RegExp(`ImagePullBackOff: .*\\(kept: --no-rollback; remove with 'logtap untap --session ${s}'\\)$`));
    expect((await get(c, "Deployment", ns, "web")).spec.template.metadata.annotations["logtap.dev/tapped"]).toBe(s);
  }, 60_000);

  test("several workloads: the first failure rolls back every workload of the run", async () => {
    const ns = await freshNamespace();
    const ws = ["a", "b", "c"].map((n) => workload("Deployment", ns, n, { replicas: 1, labels: { tier: "web" } }));
    await createRolledOut(c, ...ws);
    const before = await Promise.all(["a", "b", "c"].map((n) => templateText(c, "Deployment", ns, n)));
    const r = await logtap(c, ["tap", "-l", "tier=web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls"]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain("Rolling back 3 tapped workload(s)...");
    expect(lines(r.stderr).at(-1)).toEndWith("; rolled back 3 workload(s)");
    expect(await Promise.all(["a", "b", "c"].map((n) => templateText(c, "Deployment", ns, n)))).toEqual(before);
  }, 60_000);

  test("a StatefulSet: the pod that never became ready is deleted, so the controller brings the original revision back", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("StatefulSet", ns, "db", { replicas: 2 }));
    const before = await templateText(c, "StatefulSet", ns, "db");
    const r = await logtap(c, ["tap", "--statefulset", "db", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-pulls"]);
    expect(r.code).toBe(7);
    expect(lines(r.stderr).at(-1)).toMatch(/^error: rollout failed: StatefulSet\/db: pod db-1: container logtap-forwarder-lt-[0-9a-f]{16} ImagePullBackOff/);
    expect(r.stderr).toContain("  deleted pods that never became ready, to be recreated untapped: db-1");
    expect(await templateText(c, "StatefulSet", ns, "db")).toBe(before);
    await c.kubectl.ok(["rollout", "status", "statefulset/db", "-n", ns, "--timeout", "30s"], { timeoutMs: 40_000 });
    const sts = await get(c, "StatefulSet", ns, "db");
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    const pods = (await c.kubectl.json(["get", "pods", "-n", ns, "-l", "app=db"])).items;
    expect(pods.map((p: any) => p.metadata.labels["controller-revision-hash"])).toEqual([sts.status.currentRevision, sts.status.currentRevision]);
  }, 60_000);

  test("a rollout that does not finish within --timeout is rolled back too, naming where it stood", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    // A sidecar that runs but never becomes ready: nothing fails outright, the rollout just never completes.
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-ready", "--timeout", "3s"]);
    expect(r.code).toBe(7);
    expect(lines(r.stderr).at(-1)).toMatch(/^error: rollout failed: Deployment\/web: rollout did not finish within 3s: Waiting for deployment "web" rollout to finish: .* \(pod web-.*: container logtap-forwarder-lt-[0-9a-f]{16} is not ready\); rolled back 1 workload\(s\)$/);
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
  }, 60_000);
});

describe.skipIf(skip)("Ctrl+C", () => {
  for (const target of cliTargets()) {
    test(`${target.name}: during the wait, the run is rolled back and exits 130`, async () => {
      const ns = await freshNamespace();
      await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
      const before = await templateText(c, "Deployment", ns, "web");
      const home = tempFile("home");
      const proc = Bun.spawn([...target.cmd, "tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--image", "registry.example/forwarder:never-ready", "--timeout", "60s", "--kubeconfig", c.kubeconfig], {
        env: { ...process.env, HOME: home, KUBECONFIG: "", NO_COLOR: "1" },
        stdout: "pipe",
        stderr: "pipe",
      });
      const err = streamText(proc.stderr);
      await waitFor(() => err.text().includes("Waiting for the rollout"), 20_000, "tap to wait for the rollout");
      proc.kill("SIGINT");
      const code = await proc.exited;
      await err.done;
      const stderr = err.text();
      expect(code).toBe(130);
      expect(stderr).toContain("Interrupted: undoing what this run changed (Ctrl+C again to stop at once)\n");
      expect(stderr).toContain("Rolling back: untapping Deployment/web...\nRollback complete\n");
      expect(lines(stderr).at(-1)).toBe("error: interrupted: rolled back 1 workload(s)");
      expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
    }, 60_000);
  }
});

describe.skipIf(skip)("StatefulSets and DaemonSets", () => {
  for (const target of cliTargets()) {
    test(`${target.name}: tapped by selector, rolled out, untapped to the same templates`, async () => {
      const ns = await freshNamespace();
      const sts = workload("StatefulSet", ns, "db", { replicas: 2, labels: { tier: "data" } });
      const ds = workload("DaemonSet", ns, "agent", { labels: { tier: "data" } });
      await createRolledOut(c, sts, ds);
      const before = [await templateText(c, "StatefulSet", ns, "db"), await templateText(c, "DaemonSet", ns, "agent")];
      const r = await logtap(c, ["tap", "-l", "tier=data", "-n", ns, "--target", receiver.target], { target });
      expect(r.code).toBe(0);
      const s = sessionOf(r.stderr);
      expect(r.stderr).toContain(`Tapping StatefulSet/db [1/2]...\nTapped StatefulSet/db (session ${s})\nTapping DaemonSet/agent [2/2]...\nTapped DaemonSet/agent (session ${s})\n`);
      expect(r.stderr).toContain("Waiting for 2 rollouts (--timeout 30s; --no-wait to skip)...");
      expect(r.stderr).toContain("Rolled out StatefulSet/db\n");
      expect(r.stderr).toContain("Rolled out DaemonSet/agent\n");
      const st = await get(c, "StatefulSet", ns, "db");
      expect(st.status).toMatchObject({ updatedReplicas: 2, readyReplicas: 2 });
      expect(st.status.currentRevision).toBe(st.status.updateRevision);
      const d = await get(c, "DaemonSet", ns, "agent");
      expect(d.status.updatedNumberScheduled).toBe(d.status.desiredNumberScheduled);
      expect(d.status.numberAvailable).toBe(d.status.desiredNumberScheduled);
      const u = await logtap(c, ["untap", "--session", s, "-n", ns], { target });
      expect(u.code).toBe(0);
      expect(u.stderr).toContain("Removed 2 session(s) from 2 workload(s)");
      expect([await templateText(c, "StatefulSet", ns, "db"), await templateText(c, "DaemonSet", ns, "agent")]).toEqual(before);
    }, 60_000);
  }

  test("an OnDelete StatefulSet is tapped but not waited for (its pods change only when deleted)", async () => {
    const ns = await freshNamespace();
    const sts = workload("StatefulSet", ns, "db", { replicas: 1 });
    sts.spec.updateStrategy = { type: "OnDelete" };
    await apply(c, sts);
    const r = await logtap(c, ["tap", "--statefulset", "db", "-n", ns, "--target", receiver.target, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].rollout).toEqual({ state: "unwaitable", message: 'statefulset "db" uses the OnDelete strategy: its pods change only when deleted' });
    expect(r.stderr).toContain('Not waiting for StatefulSet/db: statefulset "db" uses the OnDelete strategy');
  }, 60_000);
});

describe.skipIf(skip)("sidecar modes", () => {
  test("a kubelet older than 1.29 on one node: auto picks container mode (preStop, in containers); native asked for anyway is warned about", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    setKubeletVersion(c.standIn.store, "stand-in-node-2", "v1.28.4");
    try {
      const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--no-wait"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("Sidecar mode: container (kubelet v1.28.4 is older than 1.29 (or unreadable))\n");
      const t = (await get(c, "Deployment", ns, "web")).spec.template.spec;
      const s = sessionOf(r.stderr);
      expect(t.initContainers).toBeUndefined();
      expect(t.containers.at(-1)).toMatchObject({ name: `logtap-forwarder-${s}`, lifecycle: { preStop: { exec: { command: ["/logtap-forwarder", "sleep", "5"] } } } });
      const n = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--sidecar-mode", "native", "--dry-run"]);
      expect(n.stderr).toContain("Warning: --sidecar-mode native, but kubelet v1.28.4 is older than 1.29 (or unreadable): the sidecar may not run as a native sidecar\nSidecar mode: native (--sidecar-mode native)\n");
    } finally {
      setKubeletVersion(c.standIn.store, "stand-in-node-2", c.standIn.version);
    }
  }, 60_000);

  test("an API server older than 1.29: container mode, and untap removes it exactly", async () => {
    const old = await startTapCluster({ version: "v1.28.9" });
    try {
      await createNamespace(old, "shop");
      await createRolledOut(old, workload("Deployment", "shop", "web", { replicas: 1 }));
      const before = await templateText(old, "Deployment", "shop", "web");
      const r = await logtap(old, ["tap", "--deployment", "web", "-n", "shop", "--target", receiver.target]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("Sidecar mode: container (API server 1.28 is older than 1.29)\n");
      expect((await get(old, "Deployment", "shop", "web")).spec.template.spec.containers).toHaveLength(2);
      const u = await logtap(old, ["untap", "--all", "--force", "-n", "shop"]);
      expect(u.code).toBe(0);
      expect(await templateText(old, "Deployment", "shop", "web")).toBe(before);
    } finally {
      await old.stop();
    }
  }, 60_000);
});

describe.skipIf(skip)("checks before the changes", () => {
  test("--no-wait returns once the workloads are changed", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--no-wait", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].rollout).toBeNull();
    expect(r.stderr).not.toContain("Waiting");
    expect((await get(c, "Deployment", ns, "web")).spec.template.metadata.annotations["logtap.dev/tapped"]).toMatch(SESSION);
  }, 60_000);

  test("a production namespace: refused without --allow-prod (exit 2), a warning with it", async () => {
    const ns = await freshNamespace({ env: "Production" });
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: namespace "${ns}" appears to be production (use --allow-prod to override)\n`);
    const ok = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--allow-prod", "--no-wait"]);
    expect(ok.code).toBe(0);
    expect(ok.stderr.startsWith(`WARNING: tapping production namespace "${ns}"\n`)).toBe(true);
  }, 60_000);

  test("a receiver that does not answer: exit 5 before anything is changed; --force skips the check; an https receiver passes", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const port = closedPort();
    const since = c.standIn.lastRequest;
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", `127.0.0.1:${port}`]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `Warning: receiver not reachable: GET http://127.0.0.1:${port}/metrics: connection refused (use --force to proceed)\n` +
        `error: receiver pre-check failed (use --force to proceed): GET http://127.0.0.1:${port}/metrics: connection refused\n`,
    );
    expect(c.standIn.requestsSince(since).map((q) => `${q.method} ${q.resource}`)).toEqual(["GET namespaces"]);

    const certs = makeTestCerts();
    const https = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: readFileSync(certs.serverCert, "utf8"), key: readFileSync(certs.serverKey, "utf8") }, fetch: () => new Response("") });
    try {
      const ok = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", `https://127.0.0.1:${https.port}`, "--dry-run"]);
      expect(ok.code).toBe(0);
    } finally {
      https.stop(true);
    }
    const forced = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", `127.0.0.1:${port}`, "--force", "--dry-run"]);
    expect(forced.code).toBe(0);
  }, 60_000);

  test("--context picks the kubeconfig context; an unknown one is refused before any request", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const ok = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--dry-run", "--context", "stand-in"]);
    expect(ok.code).toBe(0);
    const since = c.standIn.lastRequest;
    const bad = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--context", "prod"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: connect to cluster: context "prod" not found in kubeconfig /);
    expect(c.standIn.requestsSince(since)).toEqual([]);
  }, 60_000);

  test("missing workloads: exit 3 with upstream's messages", async () => {
    const ns = await freshNamespace();
    const one = await logtap(c, ["tap", "--deployment", "nope", "-n", ns, "--target", receiver.target]);
    expect([one.code, lines(one.stderr).at(-1)]).toEqual([3, 'error: get deployment nope: deployments.apps "nope" not found']);
    const sel = await logtap(c, ["tap", "-l", "app=nope", "-n", ns, "--target", receiver.target]);
    expect([sel.code, lines(sel.stderr).at(-1)]).toEqual([3, 'error: no workloads found matching selector "app=nope"']);
    const all = await logtap(c, ["tap", "--all", "--force", "-n", ns, "--target", receiver.target]);
    expect([all.code, lines(all.stderr).at(-1)]).toEqual([3, `error: no untapped workloads found in namespace "${ns}"`]);
  }, 60_000);

  test("resource pre-checks and pull policies: warnings on stderr (and in --json), --pin-images named", async () => {
    const ns = await freshNamespace();
    const w = workload("Deployment", ns, "web", { replicas: 2 });
    (w.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicy = "Always";
    await createRolledOut(c, w);
    await apply(
      c,
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "small", namespace: ns }, spec: { hard: { "requests.memory": "20Mi", "limits.cpu": "4" } } },
      { apiVersion: "v1", kind: "LimitRange", metadata: { name: "caps", namespace: ns }, spec: { limits: [{ type: "Container", max: { memory: "20Mi" } }] } },
    );
    setNodeCondition("stand-in-node-1", "MemoryPressure", "True");
    let r;
    try {
      r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--dry-run", "--json"]);
    } finally {
      setNodeCondition("stand-in-node-1", "MemoryPressure", "False");
    }
    expect(r.code).toBe(0);
    const expected = [
      'Warning [quota]: memory quota "small": used 0 + sidecar 80Mi × 2 replicas exceeds hard limit 20Mi',
      'Warning [limitrange]: limitrange "caps": sidecar memory 80Mi exceeds container max 20Mi',
      "Warning [capacity]: node stand-in-node-1: memory pressure detected",
      "Warning: Deployment/web has imagePullPolicy: Always on [app]",
      "  Rollout may fail if the image registry is unreachable from the new node.",
      "  Use --pin-images to set IfNotPresent during tap.",
    ];
    for (const line of expected) expect(r.stderr).toContain(`${line}\n`);
    expect(JSON.parse(r.stdout).warnings).toEqual(expected);
    const pinned = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--dry-run", "--pin-images", "--force"]);
    expect(pinned.stderr).toContain("Warning: Deployment/web has imagePullPolicy: Always on [app]\n  --pin-images: will set IfNotPresent during tap.\n");
    expect(pinned.stderr).not.toContain("[quota]");
    expect(pinned.stdout).toContain("\n+        imagePullPolicy: IfNotPresent\n");
  }, 60_000);

  test("tap.namespace, tap.memory and tap.cpu from the environment reach tap (and only tap); a flag beats them", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const env = { LOGTAP_TAP_NAMESPACE: ns, LOGTAP_TAP_MEMORY: "48Mi", LOGTAP_TAP_CPU: "30m" };
    const r = await logtap(c, ["tap", "--deployment", "web", "--target", receiver.target, "--dry-run"], { env });
    expect(r.code).toBe(0);
    for (const line of ["memory: 48Mi", "memory: 96Mi", "cpu: 30m", "cpu: 60m"]) expect(r.stdout).toContain(`+            ${line}\n`);
    const flag = await logtap(c, ["tap", "--deployment", "web", "--target", receiver.target, "--dry-run", "--sidecar-memory", "20Mi"], { env });
    expect(flag.stdout).toContain("+            memory: 40Mi\n");
    // untap does not take tap.namespace: it looks in the context's namespace.
    const u = await logtap(c, ["untap", "--all", "--dry-run"], { env });
    expect([u.code, u.stderr]).toEqual([3, "error: no tapped workloads found\n"]);
  }, 60_000);

  test("--timeout bounds the API calls: a slow API server fails with exit 5 and nothing changed", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    c.standIn.faults.delayMs = 1500;
    try {
      const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--timeout", "1s", "--force"]);
      expect(r.code).toBe(5);
      expect(lines(r.stderr).at(-1)).toMatch(/^error: get deployment web: get deployments.apps "web" in namespace "tap-\d+": timeout: /);
    } finally {
      c.standIn.faults.delayMs = 0;
    }
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
  }, 60_000);

  test("the Fluent Bit forwarder: one ConfigMap per session, kept while any workload mounts it, deleted with the last", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1, labels: { tier: "web" } }), workload("Deployment", ns, "api", { replicas: 1, labels: { tier: "web" } }));
    const r = await logtap(c, ["tap", "-l", "tier=web", "-n", ns, "--target", receiver.target, "--forwarder", "fluent-bit", "--image", "registry.example/fluent-bit:3", "--no-wait"]);
    expect(r.code).toBe(0);
    const s = sessionOf(r.stderr);
    const cm = await c.kubectl.json(["get", "configmap", `logtap-fb-${s}`, "-n", ns]);
    expect(cm.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "logtap", "logtap.dev/session": s });
    expect(cm.data["fluent-bit.conf"]).toContain(`Labels                  session=${s}`);
    const one = await logtap(c, ["untap", "--session", s, "--deployment", "web", "-n", ns]);
    expect(one.code).toBe(0);
    expect((await c.kubectl.json(["get", "configmap", `logtap-fb-${s}`, "-n", ns])).metadata.name).toBe(`logtap-fb-${s}`);
    const rest = await logtap(c, ["untap", "--session", s, "-n", ns]);
    expect(rest.code).toBe(0);
    expect((await c.kubectl.run(["get", "configmap", `logtap-fb-${s}`, "-n", ns])).stderr).toContain("NotFound");
  }, 60_000);

  test("the Fluent Bit forwarder, rolled back: the run's ConfigMap goes with it", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const r = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--forwarder", "fluent-bit", "--image", "registry.example/fluent-bit:never-pulls"]);
    expect(r.code).toBe(7);
    expect((await c.kubectl.run(["get", "configmaps", "-n", ns, "-l", "app.kubernetes.io/managed-by=logtap"])).stderr).toContain("No resources found");
  }, 60_000);
});
