/** What the simulated runtime knows about one container of a pod, and how it is reported in the pod's status. */

export type ContainerKind = "init" | "sidecar" | "app";

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerState {
  name: string;
  kind: ContainerKind;
  image: string;
  state: { waiting?: { reason: string; message?: string }; running?: { startedAt: string }; terminated?: TerminatedState };
  lastState: { terminated?: TerminatedState };
  restartCount: number;
  containerID?: string;
  imageID: string;
  ready: boolean;
  started: boolean;
  /** Exits so far (for the crash back-off). */
  exits: number;
}

/** A v1.ContainerStatus, fields in the API's order. */
export function containerStatusJson(c: ContainerState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: c.name,
    state: structuredClone(c.state),
    lastState: structuredClone(c.lastState),
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
  };
  if (c.containerID) out.containerID = c.containerID;
  out.started = c.started;
  return out;
}
