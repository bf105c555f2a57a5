/**
 * The `pods/log` subresource (registered with the server as a SubresourceHandler): options as the API server
 * decodes and validates them; the container named or defaulted as LogLocation does (with its exact 400 messages);
 * an unscheduled pod gives an empty 200 (no node to ask); then the kubelet's own checks on the container's status
 * (validateContainerLogStatus: `is waiting to start: ContainerCreating`, `previous terminated container ... not
 * found`, ...) pick the instance whose log is streamed as text/plain.
 */

import type { KubeObject, SubresourceHandler } from "../contract.ts";
import { badRequest } from "../status-errors.ts";
import type { ContainerLog } from "./container-log.ts";
import { nowNs } from "./log-timestamps.ts";
import { parsePodLogOptions } from "./pod-log-options.ts";
import { podLogStream } from "./pod-log-stream.ts";

/** Finds a container instance's log by pod uid, container name and containerID as the status shows it (`stand-in://…`); undefined: the node has none. */
export type InstanceLookup = (podUid: string, container: string, containerID: string) => ContainerLog | undefined;

export function podLogHandler(lookup: InstanceLookup): SubresourceHandler {
  return (_request, pod, params) => {
    const name = pod.metadata.name!;
    const opts = parsePodLogOptions(name, params, nowNs());
    opts.container = resolveContainer(pod, opts.container);
    const headers = { "Content-Type": "text/plain" };
    if (!pod.spec?.nodeName) return new Response("", { status: 200, headers });
    const containerID = containerIdForLogs(pod, opts.container, opts.previous);
    const log = lookup(pod.metadata.uid!, opts.container, containerID);
    return new Response(podLogStream(log, opts), { status: 200, headers });
  };
}

/** LogLocation: the named container must exist; none named is fine only for a pod with exactly one container. */
export function resolveContainer(pod: KubeObject, container: string): string {
  const names = (list: any[] | undefined) => (list ?? []).map((c) => c.name as string);
  const containers = names(pod.spec?.containers);
  const inits = names(pod.spec?.initContainers);
  const ephemeral = names(pod.spec?.ephemeralContainers);
  const name = pod.metadata.name;
  if (!container) {
    if (containers.length === 1) return containers[0];
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(" ")}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(" ")}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** kubelet validateContainerLogStatus: which instance's log to read, from the status the kubelet reported. */
export function containerIdForLogs(pod: KubeObject, container: string, previous: boolean): string {
  const name = pod.metadata.name;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const s = statuses.find((c: any) => c.name === container);
  if (!s) throw badRequest(`container "${container}" in pod "${name}" is not available`);
  const { waiting, running, terminated } = s.state ?? {};
  const last = s.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return last.containerID;
  }
  if (running) return s.containerID;
  if (terminated) {
    if (terminated.containerID) return terminated.containerID;
    if (last?.containerID) return last.containerID;
    throw badRequest(`container "${container}" in pod "${name}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${name}" is terminated`);
    return last.containerID;
  }
  if (waiting) {
    if (waiting.reason === "ErrImagePull") throw badRequest(`container "${container}" in pod "${name}" is waiting to start: image can't be pulled`);
    if (waiting.reason === "ImagePullBackOff") throw badRequest(`container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting.reason}`);
  }
  throw badRequest(`container "${container}" in pod "${name}" is waiting to start - no logs yet`);
}
