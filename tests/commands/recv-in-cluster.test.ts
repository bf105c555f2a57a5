/**
 * `logtap recv --in-cluster` end to end through the stand-in: the receiver pod really runs logtap (`recv --headless
 * … --serve-capture`, its image mapped to the local program), pushes reach it at its pod IP and through the API
 * server's services/proxy, the CLI brings the capture home while it is written, and Ctrl+C (SIGINT) finishes it,
 * pulls the rest and only then deletes the pod, service and secret: the local directory is byte for byte the
 * pod's (read from the pod's own volume, held by a finalizer until the test has looked), `check` finds no
 * leftover. A run killed halfway is resumed by running it again.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { RECEIVER_IMAGE_REPOSITORY } from "../../src/kube/images.ts";
import type { KubeletComponent } from "../kube-stand-in/kubelet/index.ts";
import { type Kubectl, kubectlMissing } from "../kube-stand-in/kubectl.ts";
import type { StandIn } from "../kube-stand-in/stand-in.ts";
import { primaryTarget, runCli } from "../support/cli.ts";
import { lokiJson } from "../support/loki-bodies.ts";
import { tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { startTapCluster } from "./tap-fixtures.ts";

const skip = kubectlMissing("recv --in-cluster against the stand-in cluster");
const target = primaryTarget();
const HOLD = "test.logtap.dev/hold";

let k: StandIn;
let kubelet: KubeletComponent;
let kubectl: Kubectl;
let kubeconfig: string;

beforeAll(async () => {
  if (skip) return;
  ({ standIn: k, kubelet, kubectl, kubeconfig } = await startTapCluster());
  // The receiver image runs this very logtap.
  k.mapImage(`${RECEIVER_IMAGE_REPOSITORY}:*`, { command: target.cmd });
});
afterAll(async () => {
  await k?.stop();
});

/** Every file of a directory, name → bytes. */
function snapshot(dir: string): Record<string, Uint8Array> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))]));
}

interface Cli {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  stderr(): string;
  exited: Promise<number>;
}

function startCli(args: string[]): Cli {
  const proc = Bun.spawn([...target.cmd, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  let err = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) err += decoder.decode(chunk);
  })();
  return { proc, stderr: () => err, exited: proc.exited };
}

interface PodView {
  ip: string;
  /** The pod's capture directory on this machine: its emptyDir, as the receiver process was given it. */
  dataDir: string;
  token: string;
}

/**
 * Waits for the receiver pod to run, holds it with a finalizer (so its volume outlives the deletion until the test
 * has read it), and finds its address, its data directory and the capture token.
 */
async function receiverPod(ns: string): Promise<PodView> {
  await waitFor(async () => (await kubectl.run(["get", "pod", "logtap-receiver", "-n", ns])).code === 0, 20_000, "the receiver pod", 20);
  await kubectl.ok(["patch", "pod", "logtap-receiver", "-n", ns, "--type=merge", "-p", JSON.stringify({ metadata: { finalizers: [HOLD] } })]);
  let ip = "";
  await waitFor(async () => {
    ip = (await kubectl.json(["get", "pod", "logtap-receiver", "-n", ns])).status?.podIP ?? "";
    return ip.startsWith("127.");
  }, 20_000, "the receiver pod's IP", 20);
  let podDir: string | undefined;
  await waitFor(() => (podDir = kubelet.kubelet.podDirectory(ns, "logtap-receiver")) !== undefined, 20_000, "the receiver process", 20);
  const dataDir = join(podDir!, "volumes", "data");
  const secret = await kubectl.json(["get", "secret", "logtap-receiver", "-n", ns]);
  return { ip, dataDir, token: Buffer.from(secret.data["capture-token"], "base64").toString() };
}

async function pushTo(url: string, from: number, n: number, init: RequestInit = {}): Promise<void> {
  const values = Array.from({ length: n }, (_, i) => [`${1_700_000_000_000_000_000 + (from + i) * 1_000_000}`, `order ${from + i} ${(from + i) % 9 === 0 ? "ERROR payment declined" : "ok"} ${"d".repeat(120)}`] as [string, string]);
  const res = await fetch(url, { method: "POST", body: lokiJson([{ labels: { app: "checkout", pod: `checkout-${from % 2}` }, values }]), headers: { "content-type": "application/json" }, ...init });
  expect(res.status).toBe(204);
}

/** After the CLI deleted the pod: the volume as the receiver left it, then the pod let go. */
async function podCaptureAtDeletion(ns: string, pod: PodView): Promise<Record<string, Uint8Array>> {
  await waitFor(async () => Boolean((await kubectl.json(["get", "pod", "logtap-receiver", "-n", ns])).metadata.deletionTimestamp), 60_000, "the CLI to delete the pod", 50);
  const files = snapshot(pod.dataDir);
  await kubectl.ok(["patch", "pod", "logtap-receiver", "-n", ns, "--type=json", "-p", JSON.stringify([{ op: "remove", path: "/metadata/finalizers" }])]);
  return files;
}

describe.skipIf(skip)("recv --in-cluster", () => {
  test("the capture comes home while written and whole at Ctrl+C; then the receiver is gone", async () => {
    await kubectl.ok(["create", "namespace", "shop"]);
    const local = join(tempDir(), "capture");
    const cli = startCli(["recv", "--in-cluster", "--kubeconfig", kubeconfig, "-n", "shop", "--dir", local, "--max-file", "20KB", "--ttl", "1h"]);
    const pod = await receiverPod("shop");
    await waitFor(() => cli.stderr().includes("press Ctrl+C"), 30_000, "the receiver to be ready", 20);
    expect(cli.stderr()).toContain("deploying receiver pod in shop...\nwaiting for pod ready...\nreceiver ready — in-cluster target for tap: logtap-receiver.shop.svc.cluster.local:9000\n");

    const spec = (await kubectl.json(["get", "pod", "logtap-receiver", "-n", "shop"])).spec;
    expect(spec.activeDeadlineSeconds).toBe(3600);
    expect(spec.containers[0].args).toEqual(["recv", "--headless", "--listen", ":9000", "--dir", "/data", "--max-file", "20KB", "--max-disk", "50GB", "--serve-capture"]);

    // From inside the cluster (the pod's address), and from outside through the API server's services/proxy.
    for (let round = 0; round < 4; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);
    const viaProxy = await k.fetch("/api/v1/namespaces/shop/services/logtap-receiver:9000/proxy/loki/api/v1/push", {
      method: "POST",
      body: lokiJson([{ labels: { app: "edge" }, values: [["1700000001000000000", "through the API server"]] }]),
      headers: { "content-type": "application/json" },
    });
    expect(viaProxy.status).toBe(204);
    // Brought home while the receiver still writes: closed files are here before anything ends.
    await waitFor(() => existsSync(join(local, "index.jsonl")), 30_000, "closed files pulled home", 100);
    for (let round = 4; round < 6; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);

    cli.proc.kill("SIGINT");
    const podFiles = await podCaptureAtDeletion("shop", pod);
    expect(await cli.exited).toBe(0);
    const stderr = cli.stderr();
    expect(stderr).toContain("shutting down...\nfinishing the receiver's capture (it takes no more pushes)...\n");
    expect(stderr).toMatch(/capture home: .* \(\d+ files, .*, 601 lines\), identical to the receiver's\ncleaning up cluster resources...\n$/);
    expect(stderr).not.toContain("warning");

    expect(snapshot(local)).toEqual(podFiles);
    expect(Object.keys(podFiles).filter((n) => n.endsWith(".jsonl.zst")).length).toBeGreaterThan(1);
    for (const kind of ["pod", "service", "secret"]) expect((await kubectl.run(["get", kind, "logtap-receiver", "-n", "shop"])).stderr).toContain("NotFound");
    // The namespace was there before: it stays.
    expect((await kubectl.run(["get", "namespace", "shop"])).code).toBe(0);
    const check = await runCli(["check", "--kubeconfig", kubeconfig, "-n", "shop", "--json"]);
    expect(JSON.parse(check.stdout).orphans).toEqual({});

    const grep = await runCli(["grep", "--count", "ERROR", local]);
    expect(grep.code).toBe(0);
    expect(grep.stdout.trim().split("\n").reduce((n, l) => n + Number(l.split("\t").at(-1)), 0)).toBe(67);
  }, 120_000);

  test("a run killed halfway leaves the receiver; running it again takes it over and brings everything home", async () => {
    const local = join(tempDir(), "capture");
    const first = startCli(["recv", "--in-cluster", "--kubeconfig", kubeconfig, "-n", "resume", "--dir", local, "--max-file", "20KB"]);
    const pod = await receiverPod("resume");
    await waitFor(() => first.stderr().includes("press Ctrl+C"), 30_000, "the receiver to be ready", 20);
    for (let round = 0; round < 4; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);
    await waitFor(() => existsSync(join(local, "index.jsonl")), 30_000, "closed files pulled home", 100);
    first.proc.kill("SIGKILL");
    await first.exited;
    expect((await kubectl.json(["get", "namespace", "resume"])).metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "logtap" });

    // The receiver goes on receiving while nobody pulls.
    for (let round = 4; round < 7; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);
    const again = startCli(["recv", "--in-cluster", "--kubeconfig", kubeconfig, "-n", "resume", "--dir", local]);
    await waitFor(() => again.stderr().includes("press Ctrl+C"), 30_000, "the second run to take over", 20);
    expect(again.stderr()).toStartWith(`a receiver from an earlier run is in resume: taking it over and bringing its capture home into ${local}\nwaiting for pod ready...\n`);
    again.proc.kill("SIGINT");
    const podFiles = await podCaptureAtDeletion("resume", pod);
    expect(await again.exited).toBe(0);
    expect(again.stderr()).toMatch(/700 lines\), identical to the receiver's\ncleaning up cluster resources...\n$/);
    expect(snapshot(local)).toEqual(podFiles);
    // This namespace logtap created (the first run): it goes with the receiver.
    await waitFor(async () => (await kubectl.run(["get", "namespace", "resume"])).stderr.includes("NotFound"), 10_000, "the namespace deleted", 100);
  }, 120_000);
});

describe.skipIf(skip)("recv --in-cluster when bringing the capture home fails", () => {
  test("the receiver is left running and the error says how to resume", async () => {
    // Everything the mode needs but reading through the service proxy.
    k.setRules("dave", [
      { verbs: ["get", "create", "delete"], apiGroups: [""], resources: ["pods", "services", "secrets", "namespaces"] },
    ]);
    const dave = k.kubeconfig({ user: "dave" });
    const local = join(tempDir(), "capture");
    const r = await runCli(["recv", "--in-cluster", "--kubeconfig", dave, "-n", "noproxy", "--dir", local]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      `error: services "logtap-receiver:9000" is forbidden: User "dave" cannot get resource "services/proxy" in API group "" in the namespace "noproxy"; the receiver is left running in noproxy with its capture — resume with: logtap recv --in-cluster -n noproxy --dir ${local}\n`,
    );
    expect((await kubectl.json(["get", "pod", "logtap-receiver", "-n", "noproxy"])).status.phase).toBe("Running");
    expect((await runCli(["deploy", "--cleanup", "--kubeconfig", kubeconfig, "-n", "noproxy"])).code).toBe(0);
  }, 60_000);
});

describe("recv --in-cluster flags", () => {
  test("are checked before any cluster call", async () => {
    const none = join(tempDir(), "no-kubeconfig.yaml");
    for (const [args, message] of [
      [[], "--dir is required: the in-cluster receiver's capture is brought home into it"],
      [["--dir", "x", "--tls-cert", "c.pem", "--tls-key", "k.pem"], "--tls-cert does not go with --in-cluster"],
      [["--dir", "x", "--follow", "deployment/api"], "--follow does not go with --in-cluster"],
      [["--dir", "x", "--webhook", "http://hook"], "--webhook does not go with --in-cluster"],
      [["--dir", "x", "--ttl", "soon"], "invalid --ttl"],
      [["--dir", "x", "--max-disk", "lots"], "invalid --max-disk"],
      [["--dir", "x", "--redact=email,nope"], "nope"],
      [["--dir", "x", "--duration", "0s"], "invalid --duration: must be greater than 0"],
    ] as const) {
      const r = await runCli(["recv", "--in-cluster", "--kubeconfig", none, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
    }
    for (const [args, message] of [
      [["--ttl", "1h"], "--ttl needs --in-cluster"],
      [["--image", "registry.example/logtap:1"], "--image needs --in-cluster"],
    ] as const) {
      const r = await runCli(["recv", "--dir", join(tempDir(), "c"), ...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `error: ${message}\n` });
    }
  });
});

describe.skipIf(skip)("deploy, then logtap pull", () => {
  test("a round, then --finish --cleanup: identical to the pod's, the receiver and its namespace gone", async () => {
    const local = join(tempDir(), "capture");
    const deployed = await runCli(["deploy", "--kubeconfig", kubeconfig, "-n", "pulled", "--port", "9000"]);
    expect(deployed.code).toBe(0);
    const pod = await receiverPod("pulled");
    for (let round = 0; round < 3; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);
    const first = await runCli(["pull", "--kubeconfig", kubeconfig, "-n", "pulled", "--dir", local]);
    expect(first.code).toBe(0);
    expect(first.stderr).toStartWith(`pulling the capture of service logtap-receiver:9000 in namespace "pulled" (through the API server's services/proxy) into ${local}\npulled `);
    for (let round = 3; round < 5; round++) await pushTo(`http://${pod.ip}:9000/loki/api/v1/push`, round * 100, 100);

    const last = startCli(["pull", "--kubeconfig", kubeconfig, "-n", "pulled", "--dir", local, "--finish", "--cleanup"]);
    const podFiles = await podCaptureAtDeletion("pulled", pod);
    expect(await last.exited).toBe(0);
    expect(last.stderr()).toMatch(/500 lines\), identical to the receiver's\ncleaning up cluster resources...\ndeleted pod, service, secret logtap-receiver in namespace "pulled"\ndeleted namespace "pulled" \(logtap created it for the receiver\)\n$/);
    expect(snapshot(local)).toEqual(podFiles);
    await waitFor(async () => (await kubectl.run(["get", "namespace", "pulled"])).stderr.includes("NotFound"), 10_000, "the namespace deleted", 100);

    const gone = await runCli(["pull", "--kubeconfig", kubeconfig, "-n", "pulled", "--dir", local]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toStartWith('error: no logtap receiver in namespace "pulled": ');
  }, 120_000);
});
