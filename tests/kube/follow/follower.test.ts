/**
 * The pod-log source on its own (PodLogFollower in a PodLogSource, as recv and the forwarder assemble it) against
 * the stand-in over mutual TLS: a fixed pod with a sibling filter (the forwarder's use), a container that restarted
 * before the follower came (previous instance read before the current one), StatefulSet and DaemonSet targets, a
 * pod watch that must list again after its history was compacted (410), and a pod deleted while the API server was
 * unreachable (a "deleted" gap).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PodLogSource } from "../../../pipeline/sources/pod-log-source.ts";
import { nowInstant } from "../../../src/capture/timestamp.ts";
import { connectCluster, type Cluster } from "../../../src/kube/connect.ts";
import type { FollowEvents, FollowGap } from "../../../src/kube/follow/follow-events.ts";
import { parseFollowTarget } from "../../../src/kube/follow/follow-target.ts";
import { PodLogFollower } from "../../../src/kube/follow/pod-log-follower.ts";
import { podScope, resolveScopes, type PodScope } from "../../../src/kube/follow/resolve-scopes.ts";
import type { Entry } from "../../../src/model/entry.ts";
import { waitFor } from "../../support/wait-for.ts";
import { create, outputsOf, startFollowCluster, type FollowCluster } from "../../recv/follow-fixtures.ts";

let c: FollowCluster;
let cluster: Cluster;
beforeAll(async () => {
  c = await startFollowCluster(["fixed", "restarted", "kinds", "relist", "gone"]);
  cluster = connectCluster({ kubeconfig: c.kubeconfig, timeoutMs: 5000, env: {} });
}, 30_000);
afterAll(() => c.stop());

const HOUR_AGO = { sec: nowInstant().sec - 3600, nsec: 0 };

/** A follower running into a source, collecting what comes out; stop() ends it and returns everything. */
function follow(scopes: PodScope[], o: { containers?: (name: string) => boolean; extraLabels?: Record<string, string> } = {}) {
  const gaps: FollowGap[] = [];
  const warnings: string[] = [];
  const events: FollowEvents = { gap: (g) => gaps.push(g), warning: (t) => warnings.push(t), reconnect: () => {}, streams: () => {} };
  const source = new PodLogSource(new PodLogFollower(cluster, { scopes, floor: HOUR_AGO, events, containers: o.containers, extraLabels: o.extraLabels }));
  const entries: Entry[] = [];
  const done = source.readable.pipeTo(new WritableStream({ write: (b) => void entries.push(...b.entries) }));
  return {
    entries,
    gaps,
    warnings,
    async stop() {
      await source.stop();
      await done;
      return entries;
    },
  };
}

const msgs = (entries: Entry[], container: string) => entries.filter((e) => e.labels.container === container).map((e) => e.msg);

function pod(namespace: string, name: string, scripts: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const annotations = Object.fromEntries(Object.entries(scripts).map(([k, s]) => [`stand-in.logtap.dev/logs.${k}`, JSON.stringify(s)]));
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: { app: name }, annotations }, spec: { containers: Object.keys(scripts).map((n) => ({ name: n, image: "registry.example/x:1" })) }, ...extra };
}

describe("PodLogFollower", () => {
  test("a fixed pod with a container filter: only the siblings, with the extra labels", async () => {
    await create(c, "/api/v1/namespaces/fixed/pods", pod("fixed", "own", { app: { template: "app {n}", count: 30, rate: 50 }, worker: { template: "worker {n}", count: 20, rate: 50 }, "logtap-forwarder-x": { template: "self {n}", count: 10 } }));
    const f = follow([await podScope(cluster, "fixed", "own")], { containers: (n) => !n.startsWith("logtap-forwarder-"), extraLabels: { session: "lt-1" } });
    await waitFor(() => f.entries.length === 50, 15_000, "50 lines");
    const entries = await f.stop();
    const truth = (container: string) => outputsOf(c, "fixed", "own").find((o) => o.container === container)!.history.map((h) => h.text);
    expect([msgs(entries, "app"), msgs(entries, "worker"), msgs(entries, "logtap-forwarder-x")]).toEqual([truth("app"), truth("worker"), []]);
    expect(entries[0]!.labels).toEqual({ namespace: "fixed", pod: "own", container: entries[0]!.labels.container!, app: "own", session: "lt-1" });
    expect(f.gaps).toEqual([]);
  }, 30_000);

  test("a container that restarted before the follower came: its previous instance is read before the current one", async () => {
    // Instances of 10, 10 and 5 lines, each printed at once; the node keeps the last two (15 lines).
    await create(c, "/api/v1/namespaces/restarted/pods", pod("restarted", "crashy", { app: { template: "line {n} of instance {restart}", count: 25, restartAfter: 10 } }));
    const out = () => outputsOf(c, "restarted", "crashy")[0]!;
    await waitFor(() => out()?.written === 25, 15_000, "three instances");
    const f = follow(await resolveScopes(cluster, [parseFollowTarget("pod/crashy")], { namespace: "restarted", allNamespaces: false }));
    await waitFor(() => f.entries.length === 15, 15_000, "the two kept instances' lines");
    const entries = await f.stop();
    const kept = new Set(out().instances.map((i) => i.containerID));
    expect(kept.size).toBe(2);
    expect(msgs(entries, "app")).toEqual(out().history.filter((h) => kept.has(h.containerID)).map((h) => h.text));
    expect(msgs(entries, "app")[0]).toBe("line 11 of instance 1");
  }, 30_000);

  test("StatefulSet and DaemonSet targets: their pods, labelled with the workload", async () => {
    const template = (app: string) => ({ metadata: { labels: { app }, annotations: { "stand-in.logtap.dev/logs.app": JSON.stringify({ template: `${app} {n}`, count: 5 }) } }, spec: { containers: [{ name: "app", image: "registry.example/x:1" }] } });
    await create(c, "/apis/apps/v1/namespaces/kinds/statefulsets", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { replicas: 2, serviceName: "db", selector: { matchLabels: { app: "db" } }, template: template("db") } });
    await create(c, "/apis/apps/v1/namespaces/kinds/daemonsets", { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent" }, spec: { selector: { matchLabels: { app: "agent" } }, template: template("agent") } });
    const scopes = await resolveScopes(cluster, [parseFollowTarget("sts/db"), parseFollowTarget("ds/agent")], { namespace: "kinds", allNamespaces: false });
    // Two targets in one namespace: one unfiltered watch, matched here.
    expect(scopes.map((s) => [s.describe, s.labelSelector])).toEqual([["sts/db, ds/agent in kinds", undefined]]);
    const f = follow(scopes);
    await waitFor(() => f.entries.length === 20, 20_000, "2 × 5 + 2 × 5 lines");
    const entries = await f.stop();
    const workloads = new Set(entries.map((e) => `${e.labels.workload_kind}/${e.labels.workload}`));
    expect(workloads).toEqual(new Set(["StatefulSet/db", "DaemonSet/agent"]));
  }, 30_000);

  test("a watch whose history was compacted lists again (410) and picks up pods created meanwhile", async () => {
    await create(c, "/api/v1/namespaces/relist/pods", pod("relist", "first", { app: { template: "first {n}", count: 5 } }));
    const f = follow(await resolveScopes(cluster, [parseFollowTarget("app in (first,second)")], { namespace: "relist", allNamespaces: false }));
    await waitFor(() => f.entries.length === 5, 15_000, "the first pod's lines");
    const lists = () => c.standIn.requests.filter((r) => r.resource === "pods" && r.verb === "list" && r.namespace === "relist" && r.code === 200).length;
    const listsBefore = lists();
    // The watch drops, and by the time it comes back its resourceVersion is too old.
    await c.standIn.faults.setUnreachable("refuse");
    c.standIn.store.create(c.standIn.store.mustType("", "pods"), pod("relist", "second", { app: { template: "second {n}", count: 5 } }) as never);
    c.standIn.store.compact();
    await c.standIn.faults.setReachable();
    await waitFor(() => f.entries.length === 10, 20_000, "the second pod's lines after a relist");
    const entries = await f.stop();
    expect(new Set(entries.map((e) => e.labels.pod))).toEqual(new Set(["first", "second"]));
    expect(lists()).toBe(listsBefore + 1);
  }, 40_000);

  test("a pod deleted while the API server is unreachable: a deleted gap after the last line read", async () => {
    await create(c, "/api/v1/namespaces/gone/pods", pod("gone", "doomed", { app: { template: "doomed {n}", rate: 50 } }));
    const f = follow(await resolveScopes(cluster, [parseFollowTarget("pod/doomed")], { namespace: "gone", allNamespaces: false }));
    await waitFor(() => f.entries.length >= 20, 15_000, "lines before the outage");
    await c.standIn.faults.setUnreachable("refuse");
    const pods = c.standIn.store.mustType("", "pods");
    c.standIn.store.delete(pods, "gone", "doomed", { gracePeriodSeconds: 0 });
    await waitFor(() => c.standIn.store.get(pods, "gone", "doomed") === undefined, 10_000, "the pod gone");
    await c.standIn.faults.setReachable();
    await waitFor(() => f.gaps.length === 1, 20_000, "the deleted gap");
    const entries = await f.stop();
    const last = entries.at(-1)!;
    expect(f.gaps[0]).toMatchObject({ reason: "deleted", namespace: "gone", pod: "doomed", container: "app", after: { sec: last.sec, nsec: last.nsec } });
  }, 40_000);
});
