/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables): the image's ENV,
 * the `kubernetes` Service's variables, HOSTNAME, then `envFrom` (ConfigMaps and Secrets, with `prefix`), then `env`
 * in order — each value `$(VAR)`-expanded against what is defined so far — with `valueFrom` resolved: `fieldRef`
 * (the downward API's pod fields), `resourceFieldRef` (limits/requests, node allocatable when no limit is set),
 * `configMapKeyRef` and `secretKeyRef` read from the store. A missing object or key that is not `optional` stops the
 * container from starting: the kubelet reports `CreateContainerConfigError` with the message thrown here.
 */

import type { KubeObject, ObjectStore } from "../contract.ts";
import { expandVars } from "./program-command.ts";

export class ContainerConfigError extends Error {}

/** The real messages (kubelet_pods.go and the secret/configmap managers). */
const missing = (kind: "configmap" | "secret", name: string) => new ContainerConfigError(`${kind} "${name}" not found`);
const missingKey = (kind: "ConfigMap" | "Secret", key: string, ns: string, name: string) => new ContainerConfigError(`couldn't find key ${key} in ${kind} ${ns}/${name}`);

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The values of a ConfigMap or Secret as text (Secret data is base64), or undefined when it does not exist. */
function readData(store: ObjectStore, kind: "configmaps" | "secrets", namespace: string, name: string): Record<string, string> | undefined {
  const type = store.resourceType("", kind)!;
  const o = store.get(type, namespace, name) as any;
  if (!o) return undefined;
  const out: Record<string, string> = {};
  if (kind === "secrets") for (const [k, v] of Object.entries(o.data ?? {})) out[k] = Buffer.from(String(v), "base64").toString("utf8");
  else {
    for (const [k, v] of Object.entries(o.binaryData ?? {})) out[k] = Buffer.from(String(v), "base64").toString("utf8");
    for (const [k, v] of Object.entries(o.data ?? {})) out[k] = String(v);
  }
  return out;
}

/** A downward-API field of the pod (the paths `fieldRef` accepts for environment variables). */
export function podField(pod: KubeObject, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (pod.metadata as any)[m[1]]?.[m[2]] ?? "";
  switch (path) {
    case "metadata.name":
      return pod.metadata.name ?? "";
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
      return pod.status?.hostIP ?? "";
    case "status.hostIPs":
      return (pod.status?.hostIPs ?? []).map((x: any) => x.ip).join(",");
    case "status.podIP":
      return pod.status?.podIP ?? "";
    case "status.podIPs":
      return (pod.status?.podIPs ?? []).map((x: any) => x.ip).join(",");
  }
  throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
}

/** Quantity → number (cores for cpu, bytes otherwise). */
function quantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(String(q));
  if (!m) return undefined;
  const f: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  return Number(m[1]) * (m[2] ? f[m[2]] : 1);
}

const NODE_ALLOCATABLE: Record<string, string> = { cpu: "4", memory: "16Gi", "ephemeral-storage": "100Gi" };

/** resourceFieldRef: the limit (else the node's allocatable) or request, divided by `divisor` and rounded up. */
function resourceField(container: any, ref: any): string {
  const [kind, resource] = String(ref.resource ?? "").split(/\.(.*)/s);
  if ((kind !== "limits" && kind !== "requests") || !resource) throw new ContainerConfigError(`unsupported container resource: ${ref.resource}`);
  const value = quantity(container?.resources?.[kind]?.[resource] ?? (kind === "limits" ? NODE_ALLOCATABLE[resource] : container?.resources?.limits?.[resource]) ?? "0") ?? 0;
  const divisor = quantity(ref.divisor ?? "1") || 1;
  return String(Math.ceil(value / divisor));
}

export interface EnvContext {
  store: ObjectStore;
  pod: KubeObject;
  container: any;
  /** Set first (the image's ENV, then the kubelet's service variables); the spec's variables override them. */
  base: Record<string, string>;
}

/** The container's environment, or a ContainerConfigError naming what is missing. */
export function containerEnv({ store, pod, container, base }: EnvContext): Record<string, string> {
  const ns = pod.metadata.namespace ?? "default";
  const env: Record<string, string> = { ...base };
  for (const from of container?.envFrom ?? []) {
    const kind = from.configMapRef ? "configmaps" : from.secretRef ? "secrets" : undefined;
    const ref = from.configMapRef ?? from.secretRef;
    if (!kind || !ref?.name) continue;
    const data = readData(store, kind, ns, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw missing(kind === "configmaps" ? "configmap" : "secret", ref.name);
    }
    // Keys that are no valid variable names are skipped (the kubelet records an event for them).
    for (const [k, v] of Object.entries(data)) if (ENV_NAME.test(`${from.prefix ?? ""}${k}`)) env[`${from.prefix ?? ""}${k}`] = v;
  }
  for (const e of container?.env ?? []) {
    if (!e?.name) continue;
    if (e.valueFrom === undefined) {
      env[e.name] = expandVars(String(e.value ?? ""), env);
      continue;
    }
    const v = e.valueFrom;
    if (v.fieldRef) env[e.name] = podField(pod, v.fieldRef.fieldPath);
    else if (v.resourceFieldRef) env[e.name] = resourceField(container, v.resourceFieldRef);
    else if (v.configMapKeyRef || v.secretKeyRef) {
      const secret = !!v.secretKeyRef;
      const ref = v.secretKeyRef ?? v.configMapKeyRef;
      const data = readData(store, secret ? "secrets" : "configmaps", ns, ref.name);
      if (!data) {
        if (ref.optional) continue;
        throw missing(secret ? "secret" : "configmap", ref.name);
      }
      if (!Object.hasOwn(data, ref.key)) {
        if (ref.optional) continue;
        throw missingKey(secret ? "Secret" : "ConfigMap", ref.key, ns, ref.name);
      }
      env[e.name] = data[ref.key];
    }
  }
  return env;
}
