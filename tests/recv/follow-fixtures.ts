/**
 * What the `recv --follow` tests run against: the stand-in over mutual TLS with its controllers and kubelet
 * (cluster time 100× faster; log scripts run in real time), workloads whose containers print scripted lines, a real
 * `logtap recv --follow` (binary or sources) pointed at it with its own HOME, and the independent check: the
 * capture read back with the zstd CLI and compared with the kubelet's ground truth of what each container printed.
 */

import { expect } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createControllers } from "../kube-stand-in/controllers/index.ts";
import { createKubelet, type KubeletComponent, type WrittenLine } from "../kube-stand-in/kubelet/index.ts";
import { startStandIn, type StandIn } from "../kube-stand-in/stand-in.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import type { CliTarget } from "../support/cli.ts";
import { startReceiver, tempDir, type RunningReceiver } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";

export interface FollowCluster {
  standIn: StandIn;
  kubelet: KubeletComponent["kubelet"];
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startFollowCluster(namespaces: string[] = []): Promise<FollowCluster> {
  const controllers = createControllers({ timeScale: 0.01 });
  const kubelet = createKubelet({ clock: controllers.clock });
  const standIn = await startStandIn({ components: [controllers, kubelet], namespaces });
  return { standIn, kubelet: kubelet.kubelet, kubeconfig: standIn.kubeconfig(), stop: () => standIn.stop() };
}

export type LogScripts = Record<string, Record<string, unknown>>;

/** A Deployment whose pods run one container per script (`stand-in.logtap.dev/logs.<container>`). */
export function deployment(namespace: string, name: string, replicas: number, scripts: LogScripts, labels: Record<string, string> = { app: name }) {
  const annotations = Object.fromEntries(Object.entries(scripts).map(([c, s]) => [`stand-in.logtap.dev/logs.${c}`, JSON.stringify(s)]));
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels, annotations }, spec: { containers: Object.keys(scripts).map((c) => ({ name: c, image: `registry.example/${c}:1` })) } },
    },
  };
}

export async function create(c: FollowCluster, path: string, body: unknown): Promise<void> {
  const res = await c.standIn.fetch(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

export const deploymentsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

/** `logtap recv --headless --follow …` against the cluster, with a clean HOME (no config file leaks in). */
export function recvFollow(c: FollowCluster, args: string[], o: { target?: CliTarget; kubeconfig?: string } = {}): Promise<RunningReceiver> {
  const home = tempDir("logtap-follow-home-");
  return startReceiver([...args, "--kubeconfig", o.kubeconfig ?? c.kubeconfig, "--stats-interval", "0"], { target: o.target, env: { HOME: home, KUBECONFIG: "" } });
}

/** Every container the kubelet ran in these pods (by pod-name prefix), with what it printed. */
export function outputsOf(c: FollowCluster, namespace: string, podPrefix: string) {
  return c.kubelet.outputs().filter((o) => o.namespace === namespace && o.pod.startsWith(podPrefix));
}

/** Resolves once every container of the pods printed its whole script. */
export async function whenScriptsDone(c: FollowCluster, namespace: string, podPrefix: string, pods: number, linesPerContainer: Record<string, number>, timeoutMs = 30_000): Promise<void> {
  // A container's output exists once it has started: wait for every container of every pod first.
  const containers = pods * Object.keys(linesPerContainer).length;
  await waitFor(() => outputsOf(c, namespace, podPrefix).length >= containers, timeoutMs, `${containers} containers of ${podPrefix}`);
  await Promise.all(outputsOf(c, namespace, podPrefix).map((o) => o.whenLines(linesPerContainer[o.container]!, timeoutMs)));
}

export interface CapturedEntry {
  ts: string;
  labels: Record<string, string>;
  msg: string;
}

export function captured(dir: string): CapturedEntry[] {
  return entriesViaZstdCli(dir) as CapturedEntry[];
}

/** Nanoseconds since the epoch of an RFC 3339 text with up to nine digits (the capture trims trailing zeros). */
export function nsOf(ts: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(ts)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** The capture's entries of one container, in capture order. */
export function entriesOf(entries: CapturedEntry[], pod: string, container: string): CapturedEntry[] {
  return entries.filter((e) => e.labels.pod === pod && e.labels.container === container);
}

/** Every printed line exactly once, in order, with its own timestamp: the capture equals the ground truth. */
export function expectExactly(entries: CapturedEntry[], pod: string, container: string, history: WrittenLine[]): void {
  const mine = entriesOf(entries, pod, container);
  expect({ pod, container, lines: mine.map((e) => e.msg) }).toEqual({ pod, container, lines: history.map((h) => h.text) });
  expect(mine.map((e) => nsOf(e.ts))).toEqual(history.map((h) => h.ns));
}

export interface AuditLine {
  event: string;
  [k: string]: unknown;
}

export function audit(dir: string): AuditLine[] {
  return readFileSync(join(dir, "audit.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}
