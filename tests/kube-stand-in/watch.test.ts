/**
 * Watches: `kubectl get -w` against the stand-in, and the protocol itself over mutual TLS — chunked
 * newline-delimited events, replay from a resourceVersion, ADDED for everything without one, 410 Expired as an
 * ERROR event once the version is compacted away, bookmarks (periodic and initial-events-end), timeoutSeconds,
 * selector transitions (stops matching → DELETED, starts matching → ADDED), and watches dropped by fault injection.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kubectl, kubectlMissing } from "./kubectl.ts";
import { startStandIn, type StandIn } from "./stand-in.ts";
import { waitFor } from "../support/wait-for.ts";

const skip = kubectlMissing("the stand-in's watch tests");

let k: StandIn;
let kubectl: Kubectl;

beforeAll(async () => {
  if (skip) return;
  k = await startStandIn({ bookmarkIntervalMs: 150 });
  kubectl = new Kubectl(k.kubeconfig());
});
afterAll(async () => {
  await k?.stop();
});

interface Watch {
  events: any[];
  /** Resolves when the stream ends: "end" (clean) or "error". */
  ended: Promise<"end" | "error">;
  status: number;
  until(n: number, what?: string): Promise<void>;
  cancel(): void;
}

async function watch(path: string): Promise<Watch> {
  const res = await k.fetch(path);
  const events: any[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const ended = (async (): Promise<"end" | "error"> => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "end";
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      }
    } catch {
      return "error";
    }
  })();
  return {
    events,
    ended,
    status: res.status,
    until: (n, what = `${n} watch events`) => waitFor(() => events.length >= n, 5000, what),
    cancel: () => void reader.cancel().catch(() => {}),
  };
}

const cm = (name: string, labels: Record<string, string> = {}) => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data: { v: "1" } });
const summary = (w: Watch) => w.events.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.type} ${e.object.metadata?.name}`);

describe.skipIf(skip)("watch", () => {
  test("kubectl get -w prints the changes as they happen", async () => {
    const proc = Bun.spawn([kubectl.bin, "--kubeconfig", kubectl.kubeconfig, "--cache-dir", kubectl.cacheDir, "get", "configmaps", "-w", "--output-watch-events", "-o", "jsonpath={.type} {.object.metadata.name}{\"\\n\"}", "-l", "w=kubectl"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    let out = "";
    const pump = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stdout) out += decoder.decode(chunk);
    })();
    await waitFor(() => k.requests.some((r) => r.verb === "watch" && r.resource === "configmaps"), 10_000, "kubectl's watch request");
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("kw", { w: "kubectl" }) });
    await kubectl.ok(["label", "cm", "kw", "x=1"]);
    await kubectl.ok(["delete", "cm", "kw"]);
    await waitFor(() => out.includes("DELETED"), 10_000, "the DELETED line");
    proc.kill();
    await pump;
    expect(out.trim().split("\n")).toEqual(["ADDED kw", "MODIFIED kw", "DELETED kw"]);
  });

  test("replay from a resourceVersion; ADDED for everything without one; timeoutSeconds ends the stream", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("r1", { w: "replay" }) });
    const rv = (await kubectl.json(["get", "cm", "r1"])).metadata.resourceVersion;
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("r2", { w: "replay" }) });
    await kubectl.ok(["delete", "cm", "r1"]);
    const replay = await watch(`/api/v1/namespaces/default/configmaps?watch=true&labelSelector=w%3Dreplay&resourceVersion=${rv}&timeoutSeconds=1`);
    expect(replay.status).toBe(200);
    expect(await replay.ended).toBe("end");
    expect(summary(replay)).toEqual(["ADDED r2", "DELETED r1"]);
    const all = await watch("/api/v1/namespaces/default/configmaps?watch=1&labelSelector=w%3Dreplay&timeoutSeconds=1");
    expect(await all.ended).toBe("end");
    expect(summary(all)).toEqual(["ADDED r2"]);
    const rvs = all.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs.every((n) => n > Number(rv))).toBe(true);
  });

  test("a resourceVersion older than the history: HTTP 200, then an ERROR event with 410 Expired", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("old") });
    const rv = (await kubectl.json(["get", "cm", "old"])).metadata.resourceVersion;
    await kubectl.ok(["label", "cm", "old", "y=2"]);
    k.store.compact();
    const w = await watch(`/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`);
    expect(w.status).toBe(200);
    expect(await w.ended).toBe("end");
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe("ERROR");
    expect(w.events[0].object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
    expect(w.events[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  test("bookmarks: periodic ones carry the current resourceVersion; sendInitialEvents ends its replay with one", async () => {
    const w = await watch("/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&labelSelector=w%3Dnone");
    await w.until(2, "two bookmarks");
    w.cancel();
    expect(w.events[0]).toEqual({
      type: "BOOKMARK",
      object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: expect.any(String), annotations: { "k8s.io/initial-events-end": "true" } } },
    });
    expect(w.events[1]).toEqual({ type: "BOOKMARK", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: k.store.resourceVersion } } });
  });

  test("a label-selected watch sees an object start matching as ADDED and stop matching as DELETED", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("sel") });
    const w = await watch("/api/v1/namespaces/default/configmaps?watch=1&labelSelector=team%3Dred&resourceVersion=" + k.store.resourceVersion);
    await kubectl.ok(["label", "cm", "sel", "team=red"]);
    await kubectl.ok(["label", "cm", "sel", "other=1"]);
    await kubectl.ok(["label", "cm", "sel", "team=blue", "--overwrite"]);
    await w.until(3);
    w.cancel();
    expect(summary(w)).toEqual(["ADDED sel", "MODIFIED sel", "DELETED sel"]);
    expect(w.events[2].object.metadata.labels.team).toBe("blue");
  });

  test("fault injection drops open watches cleanly or by a reset, and the next watch after N events", async () => {
    const clean = await watch("/api/v1/namespaces/default/pods?watch=1");
    const reset = await watch("/api/v1/namespaces/kube-system/pods?watch=1");
    await waitFor(() => k.faults.describe().openWatches instanceof Array && (k.faults.describe().openWatches as unknown[]).length >= 2, 5000, "two open watches");
    expect(k.faults.dropWatches({ resource: "pods", namespace: "default" }, "end")).toBe(1);
    expect(await clean.ended).toBe("end");
    expect(k.faults.dropWatches({ resource: "pods", namespace: "kube-system" }, "reset")).toBe(1);
    expect(await reset.ended).toBe("error");
    k.faults.dropNextWatches({ resource: "configmaps", afterEvents: 1 });
    const next = await watch(`/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${k.store.resourceVersion}`);
    await kubectl.ok(["create", "-f", "-"], { stdin: cm("d1") });
    expect(await next.ended).toBe("end");
    expect(summary(next)).toEqual(["ADDED d1"]);
  });
});
