/**
 * `logtap recv --in-cluster` (§3.13, with the capture brought home): deploy the receiver (or take over the one an
 * interrupted run left, to resume), wait for it, say what `tap` should target, pull the capture into `--dir` while
 * it is written, and when `stop` aborts (Ctrl+C, SIGTERM, --duration): finish the receiver, pull the rest, check
 * it, and only then delete the pod, service, secret (and the namespace logtap created). When bringing it home fails
 * the receiver is left running and the error says how to resume.
 *
 * Upstream tunnelled to the pod with a SPDY port-forward (§22.10); here every byte goes through the API server's
 * services/proxy, plain HTTPS requests with the kubeconfig's credentials: nothing to keep open, nothing to reconnect,
 * and Bun's fetch has no SPDY (docs/kubernetes.md).
 */

import { CliError, EXIT } from "../../common/errors.ts";
import { newCaptureToken } from "../../recv/capture-token.ts";
import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { withContext } from "../workloads/wrap-error.ts";
import { namespaceIsReceivers, removeReceiver } from "../deploy/cleanup-receiver.ts";
import { deployReceiver } from "../deploy/deploy-receiver.ts";
import { interruptedDeploy } from "../deploy/interrupted.ts";
import { RECEIVER_LABELS, RECEIVER_NAME, receiverTarget, type ReceiverSpec } from "../deploy/receiver-objects.ts";
import { receiverRemote } from "../deploy/receiver-access.ts";
import { objectPath } from "../deploy/receiver-paths.ts";
import { waitForReceiver } from "../deploy/wait-ready.ts";
import { CapturePuller, type PullSummary } from "../pull/capture-puller.ts";
import { runPull } from "../pull/run-pull.ts";

/** §3.13's port. */
export const IN_CLUSTER_PORT = 9000;
export const IN_CLUSTER_READY_TIMEOUT_MS = 60_000;
export const PULL_INTERVAL_MS = 2000;

export interface InClusterRun {
  spec: ReceiverSpec;
  dir: string;
  /** Ends receiving: the rest is pulled and the receiver removed. Aborted before it is ready: the run is undone. */
  stop: AbortSignal;
  log: (line: string) => void;
  intervalMs?: number;
  readyTimeoutMs?: number;
}

export interface InClusterResult extends PullSummary {
  namespace: string;
  dir: string;
}

export async function runInCluster(cluster: Cluster, r: InClusterRun): Promise<InClusterResult> {
  const ns = r.spec.namespace;
  const resume = `logtap recv --in-cluster -n ${ns} --dir ${r.dir}`;
  let ownsNamespace: boolean;
  const takenOver = await receiverPodExists(cluster, ns);
  if (takenOver) {
    r.log(`a receiver from an earlier run is in ${ns}: taking it over and bringing its capture home into ${r.dir}`);
    ownsNamespace = await namespaceIsReceivers(cluster, ns);
  } else {
    r.log(`deploying receiver pod in ${ns}...`);
    const deployed = await deployReceiver(cluster, r.spec, newCaptureToken(), r.log, r.stop).catch((e) => {
      throw r.stop.aborted ? interruptedDeploy() : e;
    });
    ownsNamespace = deployed.createdNamespace;
  }
  r.log("waiting for pod ready...");
  const ready = await waitForReceiver(cluster, ns, r.readyTimeoutMs ?? IN_CLUSTER_READY_TIMEOUT_MS, r.stop).catch(async (e) => {
    if (!r.stop.aborted) throw e;
    // A receiver this run deployed has received nothing yet: the run is undone. One taken over keeps its capture.
    if (takenOver) throw new CliError(`interrupted: the receiver in ${ns} is left as it was — resume with: ${resume}`, 130);
    await removeReceiver(cluster, ns, { deleteNamespace: ownsNamespace });
    throw interruptedDeploy();
  });
  if (!ready.ready) throw new CliError(`receiver pod ${ns}/${RECEIVER_NAME} is not ready after ${(r.readyTimeoutMs ?? IN_CLUSTER_READY_TIMEOUT_MS) / 1000}s: ${ready.why}; it is left as it is (see kubectl describe pod -n ${ns} ${RECEIVER_NAME}; remove it with logtap deploy --cleanup -n ${ns})`, EXIT.internal);

  const target = receiverTarget(ns, r.spec.port);
  r.log(`receiver ready — in-cluster target for tap: ${target}`);
  r.log(`  logtap tap --target ${target} --deployment <name> -n <namespace>`);
  r.log(`in-cluster service: ${RECEIVER_NAME}.${ns}:${r.spec.port}`);
  r.log(`bringing the capture home into ${r.dir} (through the API server's services/proxy)`);
  r.log("press Ctrl+C to stop, bring the rest home and clean up");

  let summary: PullSummary;
  try {
    const puller = new CapturePuller(await receiverRemote(cluster, ns), r.dir);
    const stopped = runPull(puller, { follow: true, stop: r.stop, intervalMs: r.intervalMs ?? PULL_INTERVAL_MS, finish: true, log: r.log });
    // The pull loop returns only once `stop` aborted and the rest is home: say so when it starts on that.
    r.stop.addEventListener("abort", () => r.log("shutting down..."), { once: true });
    summary = (await stopped)!;
  } catch (e) {
    const message = `${(e as Error).message}; the receiver is left running in ${ns} with its capture — resume with: ${resume}`;
    throw e instanceof CliError ? new CliError(message, e.exitCode) : new CliError(message, EXIT.internal);
  }
  r.log("cleaning up cluster resources...");
  try {
    const done = await removeReceiver(cluster, ns, { deleteNamespace: ownsNamespace });
    if (done.podStillTerminating) r.log(`warning: pod ${ns}/${RECEIVER_NAME} is still terminating`);
  } catch (e) {
    r.log(`cleanup error: ${(withContext("delete the receiver", e) as Error).message}`);
  }
  return { ...summary, namespace: ns, dir: r.dir };
}

/** A receiver pod of logtap's (by its labels) is there already. */
async function receiverPodExists(cluster: Cluster, ns: string): Promise<boolean> {
  try {
    const pod = await cluster.request<{ metadata?: { labels?: Record<string, string> } }>({ path: objectPath(ns, "pods") });
    if (Object.entries(RECEIVER_LABELS).every(([k, v]) => pod.metadata?.labels?.[k] === v)) return true;
    throw new CliError(`pod ${ns}/${RECEIVER_NAME} exists and is not logtap's receiver: use another namespace (-n)`, EXIT.usage);
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
