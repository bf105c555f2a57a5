/**
 * A Service's endpoints as the endpoints controller would list them, computed from the store on demand: the Ready,
 * not terminating pods its selector matches that have a pod IP, each with the service port's `targetPort` (a
 * number, or a container port's name looked up in that pod). services/proxy forwards to one of them (when the test
 * set no target with `setServiceTarget`), and the kubelet's pod network resolves Service names and ClusterIPs to
 * them. Only pods that run programs (kubelet/program-*.ts) have an address one can connect to (127.x.y.z); a
 * scripted pod's 10.244.x.y is listed but refuses, as an endpoint whose process is gone would.
 */

import type { KubeObject, ObjectStore } from "./contract.ts";
import { labelSelectorFromSet } from "./selectors/label-selector.ts";
import { serviceUnavailable } from "./status-errors.ts";

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface Endpoint {
  ip: string;
  port: number;
  pod: string;
}

/** The service port a proxy request names (`web:8080`, `web:http`, or none when there is one port); the real 503 otherwise. */
export function servicePortFor(service: KubeObject, portText: string | undefined): ServicePort {
  const ports: ServicePort[] = service.spec?.ports ?? [];
  const text = portText ?? "";
  const found = /^\d+$/.test(text) ? ports.find((p) => p.port === Number(text)) : ports.find((p) => (p.name ?? "") === text);
  if (found) return found;
  if (text === "" && ports.length === 1) return ports[0];
  throw serviceUnavailable(`no service port ${JSON.stringify(text)} found for service ${JSON.stringify(service.metadata.name)}`);
}

function targetPortIn(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (target === undefined || target === "" || target === 0) return fallback;
  if (typeof target === "number" || /^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

const ready = (pod: KubeObject) => !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");

/** The ready endpoints of one service port (empty without a selector: such a Service's endpoints are managed by hand). */
export function serviceEndpoints(store: ObjectStore, service: KubeObject, port: ServicePort): Endpoint[] {
  if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) return [];
  const matches = labelSelectorFromSet(service.spec.selector);
  const pods = store.list(store.resourceType("", "pods")!, service.metadata.namespace).items;
  const out: Endpoint[] = [];
  for (const pod of pods) {
    if (!matches(pod.metadata.labels) || !ready(pod) || !pod.status?.podIP) continue;
    const target = targetPortIn(pod, port.targetPort, port.port);
    if (target !== undefined) out.push({ ip: pod.status.podIP, port: target, pod: pod.metadata.name! });
  }
  return out;
}

/** The base URL services/proxy forwards to for this request (`https:web:443` asks for https), or the real 503. */
export function serviceProxyURL(store: ObjectStore, service: KubeObject, portText: string | undefined): string {
  const [scheme, rest] = portText?.includes(":") ? [portText.slice(0, portText.indexOf(":")), portText.slice(portText.indexOf(":") + 1)] : ["http", portText];
  const port = servicePortFor(service, rest);
  const endpoints = serviceEndpoints(store, service, port);
  if (!endpoints.length) throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(service.metadata.name)}`);
  const e = endpoints[Math.floor(Math.random() * endpoints.length)];
  // A scripted pod's address exists only on paper: answer as a dial to a dead address does, at once.
  if (!e.ip.startsWith("127.")) throw serviceUnavailable(`error trying to reach service: dial tcp ${e.ip}:${e.port}: connect: connection refused`);
  return `${scheme || "http"}://${e.ip}:${e.port}`;
}
