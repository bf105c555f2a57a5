/**
 * `pods/log` as the handler serves it (in process, no HTTP): the log-script annotation, the control handle, and
 * each query parameter with the real API server's and kubelet's semantics and error messages.
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { KubeObject, SubresourceRequestInfo } from "../contract.ts";
import { isApiStatusError } from "../status-errors.ts";
import { type InProcessCluster, inProcessCluster } from "../controllers/testing/in-process-cluster.ts";
import { formatNs } from "./log-timestamps.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

const SCRIPT = "stand-in.logtap.dev/logs.";

function pod(name: string, containers: string[], scripts: Record<string, object> = {}, extra: any = {}): KubeObject {
  const annotations = Object.fromEntries(Object.entries(scripts).map(([c, s]) => [`${SCRIPT}${c}`, JSON.stringify(s)]));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", annotations },
    spec: { containers: containers.map((c) => ({ name: c, image: "app:1" })), ...extra },
  };
}

async function running(name: string, container?: string): Promise<void> {
  await cluster.waitFor(`${name} running`, () => {
    const cs = [...(cluster.get("pods", name)?.status?.containerStatuses ?? []), ...(cluster.get("pods", name)?.status?.initContainerStatuses ?? [])];
    return cs.length > 0 && cs.filter((c: any) => !container || c.name === container).every((c: any) => c.state.running);
  });
}

function call(name: string, query: Record<string, string | number | boolean> = {}): Response | Promise<Response> {
  const p = cluster.get("pods", name)!;
  const info: SubresourceRequestInfo = { namespace: "default", name, subresource: "log", rest: "", user: { name: "admin", groups: [] } };
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return cluster.kubelet.podLogHandler(new Request(`https://stand-in/api/v1/namespaces/default/pods/${name}/log?${params}`), p, params, info);
}

async function logs(name: string, query: Record<string, string | number | boolean> = {}): Promise<string> {
  return (await call(name, query)).text();
}

async function apiError(name: string, query: Record<string, string | number | boolean> = {}): Promise<{ code: number; message: string }> {
  try {
    await call(name, query);
  } catch (e) {
    if (isApiStatusError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected an API error");
}

/** Reads a follow stream chunk by chunk into `got` until it ends; returns the promise of its end. */
function follow(res: Response, got: string[]): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  return (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      got.push(decoder.decode(value));
    }
  })();
}

describe("scripted output", () => {
  test("lines from the annotation, with RFC3339Nano timestamps (nine digits, Z) on request", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { lines: ["starting", "listening on :8080"] } }));
    await running("web");
    await cluster.kubelet.container("default", "web", "app").whenLines(2);
    expect(await logs("web")).toBe("starting\nlistening on :8080\n");
    const stamped = (await logs("web", { timestamps: true })).split("\n").filter(Boolean);
    expect(stamped).toHaveLength(2);
    for (const l of stamped) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (starting|listening on :8080)$/);
    expect(stamped[0].slice(0, 30) < stamped[1].slice(0, 30)).toBe(true);
    const history = cluster.kubelet.container("default", "web", "app").history();
    expect(history.map((h) => `${h.time} ${h.text}`)).toEqual(stamped);
  });

  test("a template with placeholders, a count, and a rate that puts several lines in one second", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { template: "line {n} from {namespace}/{pod}/{container}", count: 30, rate: 200 } }));
    await running("web");
    const control = cluster.kubelet.container("default", "web", "app");
    const startedAt = performance.now();
    await control.whenLines(30);
    expect(performance.now() - startedAt).toBeGreaterThan(100); // 30 lines at 200/s take ~150 ms
    expect((await logs("web")).split("\n").filter(Boolean)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1} from default/web/app`));
    const seconds = new Set(control.history().map((h) => h.time.slice(0, 19)));
    expect(seconds.size).toBeLessThanOrEqual(2);
  });

  test("sameTimestamp makes groups of lines share one nanosecond", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { template: "l{n}", count: 6, sameTimestamp: 3 } }));
    await running("web");
    await cluster.kubelet.container("default", "web", "app").whenLines(6);
    const times = (await logs("web", { timestamps: true })).split("\n").filter(Boolean).map((l) => l.split(" ")[0]);
    expect(times[0]).toBe(times[1]);
    expect(times[1]).toBe(times[2]);
    expect(times[3]).toBe(times[5]);
    expect(times[2] < times[3]).toBe(true);
  });

  test("partialEvery splits long lines into partial records, each with its own timestamp, joined without a newline", async () => {
    cluster = inProcessCluster();
    const long = "x".repeat(25);
    cluster.create(pod("web", ["app"], { app: { lines: [long, "short"], partialEvery: 10 } }));
    await running("web");
    await cluster.kubelet.container("default", "web", "app").whenLines(2);
    expect(await logs("web")).toBe(`${long}\nshort\n`);
    const stamped = await logs("web", { timestamps: true });
    const ts = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";
    expect(stamped).toMatch(new RegExp(`^${ts} x{10}${ts} x{10}${ts} x{5}\\n${ts} short\\n$`));
    expect(cluster.kubelet.container("default", "web", "app").history()[0]).toMatchObject({ text: long, records: 3 });
  });

  test("restartAfter ends each instance after N lines; numbering goes on; previous=true serves the instance before", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { template: "l{n} r{restart}", count: 9, restartAfter: 3 } }));
    const control = () => cluster.kubelet.container("default", "web", "app");
    await cluster.waitFor("third instance", () => {
      try {
        return control().restartCount === 2 && control().history().length === 9;
      } catch {
        return false;
      }
    }, 10_000);
    const h = control().history();
    expect(h.map((l) => l.text)).toEqual(["l1 r0", "l2 r0", "l3 r0", "l4 r1", "l5 r1", "l6 r1", "l7 r2", "l8 r2", "l9 r2"]);
    expect(new Set(h.map((l) => l.containerID)).size).toBe(3);
    // The third instance exits after its 3 lines too; the fourth has nothing left to print and keeps running.
    await cluster.waitFor("fourth instance running", () => {
      const cs = cluster.get("pods", "web")!.status.containerStatuses[0];
      return cs.restartCount === 3 && !!cs.state.running;
    }, 10_000);
    expect(await logs("web", { previous: true })).toBe("l7 r2\nl8 r2\nl9 r2\n");
    expect(await logs("web")).toBe("");
  });

  test("the control handle writes lines, restarts the container (previous) and gives the ground truth", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"]));
    await running("web");
    const c = cluster.kubelet.container("default", "web", "app");
    expect(await apiError("web", { previous: true })).toEqual({ code: 400, message: 'previous terminated container "app" in pod "web" not found' });
    c.write(["one", "two"]);
    const firstID = c.containerID;
    c.restart({ exitCode: 2 });
    await cluster.waitFor("restarted", () => cluster.get("pods", "web")!.status.containerStatuses[0].state.running && cluster.get("pods", "web")!.status.containerStatuses[0].restartCount === 1);
    c.write("three");
    expect(c.containerID).not.toBe(firstID);
    expect(await logs("web")).toBe("three\n");
    expect(await logs("web", { previous: true })).toBe("one\ntwo\n");
    const last = cluster.get("pods", "web")!.status.containerStatuses[0].lastState.terminated;
    expect(last).toMatchObject({ exitCode: 2, reason: "Error", containerID: firstID });
    expect(c.history().map((h) => [h.text, h.restartCount])).toEqual([
      ["one", 0],
      ["two", 0],
      ["three", 1],
    ]);
  });
});

describe("parameters", () => {
  test("container is required in a multi-container pod, and must be one of the pod's", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["a", "b"], {}, { initContainers: [{ name: "init", image: "tool:1" }] }));
    expect(await apiError("web")).toEqual({ code: 400, message: "a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [init]" });
    expect(await apiError("web", { container: "c" })).toEqual({ code: 400, message: "container c is not valid for pod web" });
  });

  test("a container that has not started is 400 'is waiting to start: <reason>'; an unscheduled pod gives an empty log", async () => {
    cluster = inProcessCluster({ timing: { startSeconds: 1000 } });
    cluster.create(pod("web", ["app"]));
    await cluster.waitFor("scheduled", () => !!cluster.get("pods", "web")?.status?.containerStatuses);
    expect(await apiError("web")).toEqual({ code: 400, message: 'container "app" in pod "web" is waiting to start: ContainerCreating' });
    cluster.create(pod("nowhere", ["app"], {}, { nodeSelector: { none: "such" } }));
    expect(await logs("nowhere")).toBe("");
  });

  test("an image that cannot be pulled gives the kubelet's own words", async () => {
    cluster = inProcessCluster();
    cluster.create({ ...pod("web", []), spec: { containers: [{ name: "app", image: "x:never-pulls" }] } });
    await cluster.waitFor("back-off", () => cluster.get("pods", "web")?.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff");
    expect(await apiError("web")).toEqual({ code: 400, message: 'container "app" in pod "web" is waiting to start: trying and failing to pull image' });
  });

  test("sinceTime is whole seconds and includes lines at or after it; sinceSeconds counts back from now; not both (422)", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"]));
    await running("web");
    const c = cluster.kubelet.container("default", "web", "app");
    const base = 1_700_000_000n * 1_000_000_000n;
    const at = (s: number) => base + BigInt(Math.round(s * 1e9));
    c.write("a", { timestamp: at(0.2) });
    c.write("b", { timestamp: at(0.7) });
    c.write("c", { timestamp: at(1) });
    c.write("d", { timestamp: at(1.5) });
    c.write("e", { timestamp: formatNs(at(2.3)) });
    c.write("now");
    expect(await logs("web", { sinceTime: "2023-11-14T22:13:21.9Z" })).toBe("c\nd\ne\nnow\n"); // 1_700_000_001 = 2023-11-14T22:13:21Z
    expect(await logs("web", { sinceTime: "2023-11-14T22:13:22Z" })).toBe("e\nnow\n");
    expect(await logs("web", { sinceSeconds: 60 })).toBe("now\n");
    const both = await apiError("web", { sinceSeconds: 60, sinceTime: "2023-11-14T22:13:22Z" });
    expect(both).toEqual({ code: 422, message: 'PodLogOptions "web" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' });
    expect((await apiError("web", { sinceSeconds: 0 })).message).toBe('PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0');
    expect((await apiError("web", { sinceTime: "yesterday" })).code).toBe(400);
  });

  test("tailLines keeps the last N records; limitBytes cuts the output, even mid-line", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { lines: ["alpha", "bravo", "charlie", "delta"] } }));
    await running("web");
    await cluster.kubelet.container("default", "web", "app").whenLines(4);
    expect(await logs("web", { tailLines: 2 })).toBe("charlie\ndelta\n");
    expect(await logs("web", { tailLines: 0 })).toBe("");
    expect(await logs("web", { tailLines: 10 })).toBe("alpha\nbravo\ncharlie\ndelta\n");
    expect(await logs("web", { limitBytes: 9 })).toBe("alpha\nbra");
    expect((await apiError("web", { tailLines: -1 })).message).toBe('PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    expect((await apiError("web", { limitBytes: 0 })).message).toBe('PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0');
  });

  test("follow streams new lines, ends at a rotation; afterwards only the new file is served", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"]));
    await running("web");
    const c = cluster.kubelet.container("default", "web", "app");
    c.write("before");
    const got: string[] = [];
    const res = await call("web", { follow: true });
    expect(res.headers.get("content-type")).toBe("text/plain");
    const ended = follow(res, got);
    await Bun.sleep(10);
    c.write(["live 1", "live 2"]);
    await cluster.waitFor("live lines", () => got.join("").includes("live 2"));
    c.rotate();
    await ended;
    expect(got.join("")).toBe("before\nlive 1\nlive 2\n");
    c.write("after rotation");
    expect(await logs("web")).toBe("after rotation\n");
    expect(c.history().map((h) => h.file)).toEqual([0, 0, 0, 1]);
  });

  test("a follow stream ends when the container stops; a crash-looping container serves its last instance", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"]));
    await running("web");
    const c = cluster.kubelet.container("default", "web", "app");
    c.write("last words");
    const got: string[] = [];
    const ended = follow(await call("web", { follow: true, timestamps: true }), got);
    c.restart();
    await ended;
    expect(got.join("")).toMatch(/^\S+ last words\n$/);
  });

  test("rotateEvery in a script ends followers every N lines, and tailLines with follow starts near the end", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", ["app"], { app: { template: "l{n}", count: 10, rotateEvery: 4 } }));
    await running("web");
    const c = cluster.kubelet.container("default", "web", "app");
    await c.whenLines(10);
    expect(c.history().map((h) => h.file)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    expect(await logs("web")).toBe("l9\nl10\n");
    const got: string[] = [];
    const res = await call("web", { follow: true, tailLines: 1 });
    follow(res, got);
    c.write("l11");
    await cluster.waitFor("l11", () => got.join("").includes("l11"));
    expect(got.join("")).toBe("l10\nl11\n");
    c.rotate();
  });
});
