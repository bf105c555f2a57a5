/**
 * `logtap deploy` (§22.6): the receiver's objects, the wait for Ready (30 s; a timeout is a warning, as upstream),
 * and the lines that say how to use it — with `logtap pull` where upstream said `kubectl cp`, because this receiver
 * serves its capture (src/kube/pull/). `--dry-run` creates nothing; `--cleanup` deletes the Pod, Service and Secret.
 */

import { newCaptureToken } from "../../recv/capture-token.ts";
import type { Cluster } from "../connect.ts";
import { removeReceiver } from "./cleanup-receiver.ts";
import { deployReceiver } from "./deploy-receiver.ts";
import { interruptedDeploy } from "./interrupted.ts";
import { RECEIVER_NAME, receiverTarget, type ReceiverSpec } from "./receiver-objects.ts";
import { ReceiverFailedError, waitForReceiver } from "./wait-ready.ts";

export const DEPLOY_READY_TIMEOUT_MS = 30_000;

export interface DeployRun {
  spec: ReceiverSpec;
  dryRun: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
}

export async function runDeploy(cluster: Cluster, r: DeployRun): Promise<void> {
  const { namespace: ns, port } = r.spec;
  const target = receiverTarget(ns, port);
  if (r.dryRun) {
    r.log(`[dry-run] Would create in namespace "${ns}":`);
    r.log(`  Pod:     ${RECEIVER_NAME}`);
    r.log(`  Service: ${RECEIVER_NAME}`);
    r.log(`  Secret:  ${RECEIVER_NAME} (the token that guards the capture)`);
    r.log(`  Image:   ${r.spec.image}`);
    r.log(`  Port:    ${port}`);
    r.log(`  MaxDisk: ${r.spec.maxDisk}`);
    r.log("");
    r.log(`Target: ${target}`);
    return;
  }
  r.log(`Deploying receiver in namespace "${ns}"...`);
  // Ctrl+C undoes the run (deployReceiver takes back what it created when interrupted while creating).
  const deployed = await deployReceiver(cluster, r.spec, newCaptureToken(), r.log, r.signal).catch((e) => {
    throw r.signal?.aborted ? interruptedDeploy() : e;
  });
  r.log("Waiting for receiver to be ready...");
  let ready;
  try {
    ready = await waitForReceiver(cluster, ns, r.readyTimeoutMs ?? DEPLOY_READY_TIMEOUT_MS, r.signal);
  } catch (e) {
    if (r.signal?.aborted) {
      await removeReceiver(cluster, ns, { deleteNamespace: deployed.createdNamespace });
      throw interruptedDeploy();
    }
    // A receiver that cannot start is left for the user to look at (kubectl describe).
    if (e instanceof ReceiverFailedError) throw new ReceiverFailedError(`${e.message} (remove it with: logtap deploy --cleanup -n ${ns})`);
    throw e;
  }
  if (!ready.ready) r.log(`Warning: timeout waiting for pod ${ns}/${RECEIVER_NAME} to be ready (pod may still be starting): ${ready.why}`);
  r.log("Receiver deployed successfully.");
  r.log(`Target: ${target}`);
  r.log("");
  r.log("Usage:");
  r.log(`  logtap tap --target ${target} --deployment <name> -n ${ns}`);
  r.log(`  kubectl port-forward svc/${RECEIVER_NAME} -n ${ns} ${port}:${port}`);
  r.log(`  logtap pull --dir ./capture -n ${ns} --follow             bring the capture home while it is written`);
  r.log(`  logtap pull --dir ./capture -n ${ns} --finish --cleanup   at the end: the rest, then remove the receiver`);
  r.log(`  logtap deploy --cleanup -n ${ns}                           remove the receiver (its capture with it)`);
}

export async function runDeployCleanup(cluster: Cluster, namespace: string, dryRun: boolean, log: (line: string) => void): Promise<void> {
  if (dryRun) {
    log(`[dry-run] Would delete in namespace "${namespace}":`);
    log(`  Pod:     ${RECEIVER_NAME}`);
    log(`  Service: ${RECEIVER_NAME}`);
    log(`  Secret:  ${RECEIVER_NAME}`);
    return;
  }
  log(`Cleaning up receiver in namespace "${namespace}"...`);
  const done = await removeReceiver(cluster, namespace);
  if (done.podStillTerminating) log(`Warning: pod ${namespace}/${RECEIVER_NAME} is still terminating`);
  log("Receiver cleaned up.");
}
