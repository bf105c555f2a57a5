/**
 * A program's life as its container's: its exit is the container's termination (exit code, reason), restarted per
 * restartPolicy with the kubelet's back-off (CrashLoopBackOff, `--previous` logs); a program that cannot start is a
 * StartError; deleting the pod runs the preStop hook, then SIGTERM, then SIGKILL once the grace period is over; and
 * no process outlives its pod or the stand-in.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../../support/wait-for.ts";
import { kubectlMissing } from "../kubectl.ts";
import { alive, PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the lifecycle tests of pods that run programs");
const c = useProgramCluster(skip);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "logtap-program-lifecycle-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const podYaml = (name: string, args: string[], extra: { restartPolicy?: string; grace?: number; preStop?: string[]; command?: string[] } = {}) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: ${extra.restartPolicy ?? "Always"}
  terminationGracePeriodSeconds: ${extra.grace ?? 30}
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
${extra.command ? `    command: ${JSON.stringify(extra.command)}\n` : ""}    args: ${JSON.stringify(args)}
${extra.preStop ? `    lifecycle: {preStop: {exec: {command: ${JSON.stringify(extra.preStop)}}}}\n` : ""}`;

const status = async (pod: string) => (await c.admin.json(["get", "pod", pod])).status;
const app = async (pod: string) => (await status(pod))?.containerStatuses?.[0];

describe.skipIf(skip)("a program's exit", () => {
  test("terminates the container with its exit code; restartPolicy Never leaves the pod Failed or Succeeded", async () => {
    await c.apply(podYaml("fails", ["--print", "about to fail", "--exit", "3"], { restartPolicy: "Never" }));
    await c.apply(podYaml("succeeds", ["--print", "done", "--exit", "0"], { restartPolicy: "Never" }));
    await waitFor(async () => (await status("fails"))?.phase === "Failed", 15_000, "fails to be Failed");
    await waitFor(async () => (await status("succeeds"))?.phase === "Succeeded", 15_000, "succeeds to be Succeeded");
    expect((await app("fails")).state.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect((await app("succeeds")).state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(await c.admin.ok(["logs", "fails"])).toBe("about to fail\n");
  });

  test("restarts it per restartPolicy Always, with the kubelet's back-off: CrashLoopBackOff, lastState, --previous", async () => {
    await c.apply(podYaml("crashes", ["--print", "$(HOSTNAME) starting", "--exit", "2"]));
    await waitFor(async () => (await app("crashes"))?.restartCount >= 2, 20_000, "two restarts");
    // Back-off is short at this time scale: keep the status seen in CrashLoopBackOff.
    let s: any;
    await waitFor(async () => (s = await app("crashes"))?.state?.waiting?.reason === "CrashLoopBackOff", 20_000, "CrashLoopBackOff");
    expect(s.lastState.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
    expect(s.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=app pod=crashes_default\(/);
    expect(await c.admin.ok(["logs", "crashes", "--previous"])).toBe("crashes starting\n");
  });

  test("that cannot start is a StartError (exit code 128), retried with back-off", async () => {
    await c.apply(podYaml("missing", [], { command: ["/no/such/program"] }));
    let t: any;
    await waitFor(async () => {
      const s = await app("missing");
      t = [s?.state?.terminated, s?.lastState?.terminated].find((x) => x?.reason === "StartError");
      return t !== undefined;
    }, 15_000, "StartError");
    expect(t.exitCode).toBe(128);
    expect(t.message).toContain('exec: "/no/such/program": no such file or directory');
  });

  test("the control handle's restart() kills the running program and the kubelet starts it again", async () => {
    await c.apply(podYaml("kicked", ["--print", "up"]));
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/kicked", "--timeout=20s"]);
    const pids = c.kubelet.programPids();
    c.kubelet.container("default", "kicked", "app").restart({ exitCode: 137 });
    await waitFor(async () => (await app("kicked"))?.restartCount === 1 && (await app("kicked"))?.state?.running !== undefined, 15_000, "the restart");
    expect((await app("kicked")).lastState.terminated.exitCode).toBe(137);
    // The old process is gone; a new one runs.
    await waitFor(() => pids.filter((p) => !c.kubelet.programPids().includes(p)).every((p) => !alive(p)), 5000, "the old process to be gone");
  });
});

describe.skipIf(skip)("deleting a pod that runs a program", () => {
  test("runs preStop, then sends SIGTERM; the program's exit lets the pod go", async () => {
    const events = join(dir, "graceful");
    await c.apply(podYaml("graceful", ["--marker", events, "--print", "serving"], { preStop: ["/pod-program", "prestop", events] }));
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/graceful", "--timeout=20s"]);
    const before = new Set(c.kubelet.programPids());
    const started = performance.now();
    await c.admin.ok(["delete", "pod", "graceful", "--wait=true", "--timeout=20s"]);
    // Handled SIGTERM and exited 0 at once: well within the 30 s grace period (1 s of real time at least).
    expect(performance.now() - started).toBeLessThan(5000);
    const lines = readFileSync(events, "utf8").trim().split("\n").map((l) => l.split(" ")[0]);
    expect(lines).toEqual(["start", "prestop", "SIGTERM"]);
    for (const pid of before) if (!c.kubelet.programPids().includes(pid)) expect(alive(pid)).toBe(false);
  });

  test("kills a program that ignores SIGTERM once the grace period is over", async () => {
    const events = join(dir, "stubborn");
    await c.apply(podYaml("stubborn", ["--marker", events, "--on-sigterm", "ignore"], { grace: 2 }));
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/stubborn", "--timeout=20s"]);
    const exited: any[] = [];
    const stop = c.k.store.onChange((type, e) => {
      const t = e.object.status?.containerStatuses?.[0]?.state?.terminated;
      if (type.resource === "pods" && e.object.metadata.name === "stubborn" && t) exited.push(t);
    });
    const started = performance.now();
    await c.admin.ok(["delete", "pod", "stubborn", "--wait=true", "--timeout=20s"]);
    stop();
    // 2 s of grace is 20 ms at this time scale; a program always gets at least a second of real time.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(exited.at(-1)).toMatchObject({ exitCode: 137 });
    expect(readFileSync(events, "utf8")).toContain("SIGTERM");
  });
});

describe.skipIf(skip)("init containers and native sidecars that run programs", () => {
  test("an init program runs to completion first; a sidecar program (with a startup probe) starts before the app and keeps running beside it", async () => {
    const events = join(dir, "ordered");
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: ordered}
spec:
  initContainers:
  - {name: setup, image: ${PROGRAM_IMAGE}, args: ["--marker", "${events}.setup", "--print", "setting up", "--exit", "0"]}
  - name: sidecar
    image: ${PROGRAM_IMAGE}
    restartPolicy: Always
    env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
    args: ["--marker", "${events}.sidecar", "--print", "sidecar up", "--listen", "$(POD_IP):9091"]
    # The app starts only once this passes: the sidecar's process is up before the app's.
    startupProbe: {tcpSocket: {port: 9091}, periodSeconds: 1}
  containers:
  - {name: app, image: ${PROGRAM_IMAGE}, args: ["--marker", "${events}.app", "--print", "app up"]}
`);
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/ordered", "--timeout=20s"]);
    expect(await c.admin.ok(["logs", "ordered", "-c", "setup"])).toBe("setting up\n");
    const s = (await c.admin.json(["get", "pod", "ordered"])).status;
    expect(s.initContainerStatuses.map((x: any) => [x.name, x.state.terminated?.reason ?? Object.keys(x.state)[0]])).toEqual([
      ["setup", "Completed"],
      ["sidecar", "running"],
    ]);
    const at = (f: string) => Number(readFileSync(`${events}.${f}`, "utf8").split(" ")[1]);
    expect(at("setup")).toBeLessThanOrEqual(at("sidecar"));
    expect(at("sidecar")).toBeLessThanOrEqual(at("app"));
    // Deletion: the app gets SIGTERM before the sidecar.
    await c.admin.ok(["delete", "pod", "ordered", "--wait=true", "--timeout=20s"]);
    const term = (f: string) => Number(/SIGTERM (\d+)/.exec(readFileSync(`${events}.${f}`, "utf8"))![1]);
    expect(term("app")).toBeLessThanOrEqual(term("sidecar"));
  });
});
