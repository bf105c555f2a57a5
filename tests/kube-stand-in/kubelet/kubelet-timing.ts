/** How long the simulated node takes for each step, in cluster seconds (multiplied by the clock's timeScale). */

export interface KubeletTiming {
  /** Pod created → bound to a node. */
  scheduleSeconds: number;
  /** Bound → sandbox ready (PodReadyToStartContainers, pod IP). */
  sandboxSeconds: number;
  /** Creating and starting one container (image pull included). Also the step between pull failures. */
  startSeconds: number;
  /** An ordinary init container runs this long, then exits 0 (unless its log script decides). */
  initRunSeconds: number;
  /** A `crashloop` image runs this long before it exits 1. */
  crashAfterSeconds: number;
  /** The kubelet's first back-off (crash restarts from the second on, image pulls); doubles up to 300 s. */
  backOffSeconds: number;
  /** SIGTERM → the container has exited, when a pod is deleted (never more than its grace period). */
  stopSeconds: number;
}

export const DEFAULT_TIMING: KubeletTiming = {
  scheduleSeconds: 0,
  sandboxSeconds: 0.5,
  startSeconds: 0.5,
  initRunSeconds: 1,
  crashAfterSeconds: 1,
  backOffSeconds: 10,
  stopSeconds: 0.5,
};

/** The kubelet's back-off for the n-th retry (n ≥ 1): 10 s, 20 s, 40 s … capped at 300 s. */
export function backOff(timing: KubeletTiming, n: number): number {
  return Math.min(timing.backOffSeconds * 2 ** Math.max(0, n - 1), 300);
}
