/**
 * Waiting for the receiver pod's Ready condition, polling once a second as upstream did. A pod that cannot come up
 * by itself (an image that cannot be pulled, a bad config) or whose receiver has already exited (restartPolicy
 * Never: it will not be restarted) ends the wait at once with why; running out of time says what it is waiting for.
 */

import { CliError, EXIT } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { podDiagnosis, podFailure, type Pod } from "../rollout/pod-problems.ts";
import { objectPath } from "./receiver-paths.ts";

export class ReceiverFailedError extends CliError {
  constructor(message: string) {
    super(message, EXIT.internal);
  }
}

export type ReadyResult = { ready: true; podIP?: string } | { ready: false; why: string };

export async function waitForReceiver(cluster: Cluster, namespace: string, timeoutMs: number, signal?: AbortSignal, pollMs = 1000): Promise<ReadyResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await cluster.request<Pod & { status?: { podIP?: string } }>({ path: objectPath(namespace, "pods"), signal });
    if (pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return { ready: true, podIP: pod.status?.podIP };
    const failure = podFailure(pod) ?? exited(pod, namespace);
    if (failure !== null) throw new ReceiverFailedError(`receiver pod ${namespace}/${pod.metadata?.name} cannot start: ${failure}`);
    if (Date.now() + pollMs > deadline) return { ready: false, why: podDiagnosis(pod) ?? "not ready" };
    await Bun.sleep(pollMs);
    signal?.throwIfAborted();
  }
}

function exited(pod: Pod, namespace: string): string | null {
  const phase = pod.status?.phase;
  if (phase !== "Failed" && phase !== "Succeeded") return null;
  const t = pod.status?.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated;
  const how = t ? `${t.reason ?? "terminated"}, exit code ${t.exitCode}` : phase;
  return `the receiver exited (${how}); its output: kubectl logs -n ${namespace} ${pod.metadata?.name}`;
}
