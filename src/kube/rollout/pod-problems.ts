/**
 * What is wrong with a pod of a rollout: a container that will not come up without someone's help (an image that
 * cannot be pulled, a crash loop, a bad config) fails the rollout at once; anything else (pending, starting, not
 * ready yet) is only described, for the message when the rollout runs out of time.
 */

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

export interface Pod {
  metadata?: { name?: string; deletionTimestamp?: string; [k: string]: unknown };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; [k: string]: unknown };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** Waiting reasons the kubelet keeps retrying for ever without a change to the pod or the image. */
const HOPELESS = new Set([
  "ImagePullBackOff",
  "ErrImageNeverPull",
  "InvalidImageName",
  "CrashLoopBackOff",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

function statuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function waitingText(c: ContainerStatus): string {
  const w = c.state!.waiting!;
  return `container ${c.name} ${w.reason}${w.message ? `: ${w.message}` : ""}`;
}

/** `pod <name>: container <c> ImagePullBackOff: <message>` when the pod cannot come up by itself, else null. */
export function podFailure(pod: Pod): string | null {
  if (pod.metadata?.deletionTimestamp) return null;
  const c = statuses(pod).find((s) => HOPELESS.has(s.state?.waiting?.reason ?? ""));
  return c === undefined ? null : `pod ${pod.metadata?.name}: ${waitingText(c)}`;
}

/** Why a pod is not ready yet, or null when it is ready. */
export function podDiagnosis(pod: Pod): string | null {
  const name = pod.metadata?.name;
  const failure = podFailure(pod);
  if (failure !== null) return failure;
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "True") return null;
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False") return `pod ${name} is not scheduled: ${scheduled.reason ?? "Pending"}${scheduled.message ? `: ${scheduled.message}` : ""}`;
  const waiting = statuses(pod).find((s) => s.state?.waiting?.reason);
  if (waiting !== undefined) return `pod ${name}: ${waitingText(waiting)}`;
  const notReady = statuses(pod).find((s) => s.ready === false);
  if (notReady !== undefined) return `pod ${name}: container ${notReady.name} is not ready`;
  return `pod ${name} is ${pod.status?.phase ?? "Pending"}`;
}

/** Whether the pod runs a container (app or init) of this name: tap's new pods are those with its sidecar. */
export function podHasContainer(pod: Pod, name: string): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === name);
}
