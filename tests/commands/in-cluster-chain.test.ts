/**
 * Issue 12 §5, the in-cluster chain through the stand-in, every part the real program: `recv --in-cluster` deploys
 * the receiver (the pod runs logtap), `tap` adds the forwarder sidecar (the pod runs logtap-forwarder) which reads
 * its sibling's scripted log through the API and pushes it to the receiver's Service by its cluster name, `untap`
 * takes it out again, and Ctrl+C brings the capture home: every line the tapped container printed exactly once, in
 * order, the workload's pod template as it was before, and no logtap object left in the cluster.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_FORWARDER_IMAGE, RECEIVER_IMAGE_REPOSITORY } from "../../src/kube/images.ts";
import type { KubeletComponent } from "../kube-stand-in/kubelet/index.ts";
import { type Kubectl, kubectlMissing } from "../kube-stand-in/kubectl.ts";
import type { StandIn } from "../kube-stand-in/stand-in.ts";
import { primaryTarget, ROOT, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { streamText } from "../support/stream-text.ts";
import { startTapCluster } from "./tap-fixtures.ts";

const FORWARDER = join(ROOT, "dist", "logtap-forwarder");
const skip = kubectlMissing("the in-cluster chain against the stand-in cluster") || !existsSync(FORWARDER);
const logtap = primaryTarget();
const LINES = 300;

let k: StandIn;
let kubelet: KubeletComponent;
let kubectl: Kubectl;
let kubeconfig: string;

beforeAll(async () => {
  if (skip) return;
  ({ standIn: k, kubelet, kubectl, kubeconfig } = await startTapCluster());
  k.mapImage(`${RECEIVER_IMAGE_REPOSITORY}:*`, { command: logtap.cmd });
  k.mapImage(DEFAULT_FORWARDER_IMAGE, { command: [FORWARDER] });
});
afterAll(async () => {
  await k?.stop();
});

function startCli(args: string[]) {
  const proc = Bun.spawn([...logtap.cmd, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  return { proc, stderr: streamText(proc.stderr).text };
}

const template = async () => (await kubectl.json(["get", "deployment", "api", "-n", "shop"])).spec.template;

describe.skipIf(skip)("deploy → tap → forward → recv --in-cluster → untap → cleanup", () => {
  test("every line once, the workload as before, nothing left", async () => {
    await kubectl.ok(["create", "namespace", "shop"]);
    const app = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: "shop" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: {
            labels: { app: "api" },
            annotations: { "stand-in.logtap.dev/logs.app": JSON.stringify({ template: "line {n} of {pod}", count: LINES, rate: 60 }) },
          },
          spec: { containers: [{ name: "app", image: "registry.example/api:1" }] },
        },
      },
    };
    await kubectl.ok(["apply", "-f", "-"], { stdin: JSON.stringify(app) });
    await kubectl.ok(["rollout", "status", "deployment/api", "-n", "shop", "--timeout=60s"]);
    const before = await template();

    const local = join(tempDir(), "capture");
    const recv = startCli(["recv", "--in-cluster", "--kubeconfig", kubeconfig, "-n", "logtap", "--dir", local]);
    await waitFor(() => recv.stderr().includes("press Ctrl+C"), 60_000, "the receiver", 50);

    // The receiver's cluster name is not resolvable here, so tap's reachability pre-check is skipped (--force).
    const tap = await runCli(["tap", "--kubeconfig", kubeconfig, "-n", "shop", "--deployment", "api", "--target", "logtap-receiver.logtap.svc.cluster.local:9000", "--force", "--timeout", "60s"]);
    expect({ code: tap.code, stderr: tap.stderr }).toMatchObject({ code: 0 });
    const session = /Session:\s+(lt-[0-9a-f]{16})/.exec(tap.stderr)![1]!;
    const pods = await kubectl.json(["get", "pods", "-n", "shop", "-l", "app=api"]);
    const tapped = pods.items.find((p: any) => [...(p.spec.initContainers ?? []), ...p.spec.containers].some((c: any) => c.name === `logtap-forwarder-${session}`));
    expect(tapped).toBeDefined();
    const podName = tapped.metadata.name as string;
    const app1 = kubelet.kubelet.container("shop", podName, "app");
    await app1.whenLines(LINES);

    // Everything the container printed reaches the receiver before the sidecar goes.
    const expected = app1.history().map((l) => l.text);
    expect(expected).toHaveLength(LINES);
    await waitFor(async () => {
      const r = await runCli(["grep", "--count", `of ${podName}`, local]);
      return r.stdout.trim().split("\n").reduce((n, l) => n + (Number(l.split("\t").at(-1)) || 0), 0) >= LINES;
    }, 60_000, "the tapped pod's lines pulled home", 500);

    const untap = await runCli(["untap", "--kubeconfig", kubeconfig, "-n", "shop", "--session", session, "--timeout", "60s"]);
    expect(untap.code).toBe(0);
    expect(await template()).toEqual(before);

    recv.proc.kill("SIGINT");
    expect(await recv.proc.exited).toBe(0);
    expect(recv.stderr()).toContain("identical to the receiver's\ncleaning up cluster resources...\n");

    const grep = await runCli(["grep", `of ${podName}$`, local]);
    expect(grep.code).toBe(0);
    const lines = grep.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expected);
    expect(lines[0].labels).toMatchObject({ namespace: "shop", pod: podName, container: "app" });

    for (const ns of ["shop", "logtap"]) {
      const left = await kubectl.json(["get", "pods,services,secrets,roles,rolebindings,configmaps", "-n", ns, "-l", "app.kubernetes.io/managed-by=logtap"]);
      expect({ ns, items: left.items }).toEqual({ ns, items: [] });
    }
    expect((await kubectl.run(["get", "role", "logtap-forwarder", "-n", "shop"])).stderr).toContain("NotFound");
    await waitFor(async () => (await kubectl.run(["get", "namespace", "logtap"])).stderr.includes("NotFound"), 10_000, "the receiver's namespace gone", 100);
    const check = await runCli(["check", "--kubeconfig", kubeconfig, "-n", "shop", "--json"]);
    expect(JSON.parse(check.stdout).orphans).toEqual({});
  }, 240_000);
});
