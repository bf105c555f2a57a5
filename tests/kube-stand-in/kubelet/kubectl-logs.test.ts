/**
 * Scripted container logs as the real kubectl reads them over HTTPS: `kubectl logs` with -c, --tail, --since-time,
 * --timestamps, --limit-bytes, --previous, -f (which ends when the container stops or its log rotates), and the
 * API server's 400 messages as `kubectl get --raw` shows them.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { waitFor } from "../../support/wait-for.ts";
import { type KubectlCluster, kubectlCluster, kubectlMissing } from "../controllers/testing/kubectl-cluster.ts";

const skip = kubectlMissing("the kubectl logs tests against the stand-in");
let k: KubectlCluster;
beforeAll(async () => {
  if (!skip) k = await kubectlCluster();
});
afterAll(async () => k?.stop());

const podYaml = (name: string, containers: string[], scripts: Record<string, object>) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations:
${Object.entries(scripts)
  .map(([c, s]) => `    stand-in.logtap.dev/logs.${c}: '${JSON.stringify(s)}'`)
  .join("\n")}
spec:
  containers:
${containers.map((c) => `  - {name: ${c}, image: "app:1"}`).join("\n")}
`;

async function runningPod(name: string): Promise<void> {
  const r = await k.kubectl(["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=20s"]);
  if (r.exitCode !== 0) throw new Error(`pod ${name} not ready: ${r.stderr}`);
}

describe.skipIf(skip)("kubectl logs", () => {
  test("prints a container's scripted lines; -c picks one of several; --tail and --limit-bytes cut", async () => {
    await k.apply(podYaml("multi", ["app", "side"], { app: { template: "app line {n}", count: 5 }, side: { lines: ["side says hi"] } }));
    await runningPod("multi");
    await k.kubelet.container("default", "multi", "app").whenLines(5);
    const app = await k.kubectl(["logs", "multi", "-c", "app"]);
    expect(app.stdout).toBe("app line 1\napp line 2\napp line 3\napp line 4\napp line 5\n");
    expect((await k.kubectl(["logs", "multi", "-c", "side"])).stdout).toBe("side says hi\n");
    // kubectl 1.32 picks the first container itself (and says so) when none is named.
    const defaulted = await k.kubectl(["logs", "multi"]);
    expect(defaulted.stdout).toBe(app.stdout);
    expect(defaulted.stderr).toContain('Defaulted container "app" out of: app, side');
    expect((await k.kubectl(["logs", "multi", "-c", "app", "--tail=2"])).stdout).toBe("app line 4\napp line 5\n");
    expect((await k.kubectl(["logs", "multi", "-c", "app", "--limit-bytes=15"])).stdout).toBe("app line 1\napp ");
  });

  test("the API server's 400s: container required, not valid, waiting to start, previous not found", async () => {
    const raw = (q: string) => k.kubectl(["get", "--raw", `/api/v1/namespaces/default/pods/multi/log${q}`]);
    expect((await raw("")).stderr.trim()).toBe("Error from server (BadRequest): a container name must be specified for pod multi, choose one of: [app side]");
    expect((await raw("?container=nope")).stderr.trim()).toBe("Error from server (BadRequest): container nope is not valid for pod multi");
    expect((await k.kubectl(["logs", "multi", "-c", "app", "--previous"])).stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "app" in pod "multi" not found');
    await k.apply(`
apiVersion: v1
kind: Pod
metadata: {name: pulling}
spec:
  containers: [{name: app, image: "registry.example/app:never-pulls"}]
`);
    await waitFor(async () => (await k.kubectl(["get", "pod", "pulling", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"])).stdout === "ImagePullBackOff", 10_000, "ImagePullBackOff");
    expect((await k.kubectl(["logs", "pulling"])).stderr.trim()).toBe('Error from server (BadRequest): container "app" in pod "pulling" is waiting to start: trying and failing to pull image');
  });

  test("--timestamps prints RFC3339Nano; --since-time keeps lines from that whole second on", async () => {
    await k.apply(podYaml("clock", ["app"], {}));
    await runningPod("clock");
    const c = k.kubelet.container("default", "clock", "app");
    c.write("old", { timestamp: "2024-05-01T12:00:00.250000000Z" });
    c.write("same second", { timestamp: "2024-05-01T12:00:01.000000000Z" });
    c.write("later", { timestamp: "2024-05-01T12:00:01.750000001Z" });
    c.write("newer", { timestamp: "2024-05-01T12:00:02.100000000Z" });
    expect((await k.kubectl(["logs", "clock", "--timestamps"])).stdout).toBe(
      "2024-05-01T12:00:00.250000000Z old\n2024-05-01T12:00:01.000000000Z same second\n2024-05-01T12:00:01.750000001Z later\n2024-05-01T12:00:02.100000000Z newer\n",
    );
    expect((await k.kubectl(["logs", "clock", "--since-time=2024-05-01T12:00:01Z"])).stdout).toBe("same second\nlater\nnewer\n");
    expect((await k.kubectl(["logs", "clock", "--since-time=2024-05-01T12:00:01.900000000Z"])).stdout).toBe("same second\nlater\nnewer\n");
    c.write("fresh");
    expect((await k.kubectl(["logs", "clock", "--since=30s"])).stdout).toBe("fresh\n");
    const both = await k.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/clock/log?sinceSeconds=30&sinceTime=2024-05-01T12:00:01Z"]);
    expect(both.stderr.trim()).toBe('The PodLogOptions "clock" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  });

  test("--previous shows the instance before a restart", async () => {
    const c = k.kubelet.container("default", "clock", "app");
    c.restart();
    await waitFor(async () => (await k.kubectl(["get", "pod", "clock", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"])).stdout === "1", 10_000, "restart");
    await runningPod("clock");
    c.write("second life");
    expect((await k.kubectl(["logs", "clock"])).stdout).toBe("second life\n");
    expect((await k.kubectl(["logs", "clock", "--previous"])).stdout).toBe("old\nsame second\nlater\nnewer\nfresh\n");
  });

  test("-f streams new lines and ends when the log rotates, then again when the container stops", async () => {
    await k.apply(podYaml("tail", ["app"], {}));
    await runningPod("tail");
    const c = k.kubelet.container("default", "tail", "app");
    c.write("first");
    const read = async (p: Bun.Subprocess<"ignore", "pipe", "pipe">, untilText: string, act: () => void) => {
      let out = "";
      const reader = p.stdout.getReader();
      const decoder = new TextDecoder();
      let acted = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        out += decoder.decode(value);
        if (!acted && out.includes(untilText)) {
          acted = true;
          act();
        }
      }
      return { out, code: await p.exited };
    };
    const rotating = k.spawnKubectl(["logs", "-f", "tail"]);
    const first = await read(rotating, "first", () => {
      c.write(["live 1", "live 2"]);
      setTimeout(() => c.rotate(), 100);
    });
    expect(first).toEqual({ out: "first\nlive 1\nlive 2\n", code: 0 });
    c.write("after rotation");
    const stopping = k.spawnKubectl(["logs", "-f", "tail"]);
    const second = await read(stopping, "after rotation", () => {
      c.write("last");
      setTimeout(() => c.restart(), 100);
    });
    expect(second).toEqual({ out: "after rotation\nlast\n", code: 0 });
  });
});
