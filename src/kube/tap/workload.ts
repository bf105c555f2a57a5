/**
 * The plain-JSON shapes tap works on: an apps/v1 Deployment, StatefulSet or DaemonSet as the API returns it, and
 * its pod template. Only the fields tap reads or writes are typed; everything else is carried through untouched
 * (the index signatures), because untap must give back the template exactly as it was.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: JsonObject;
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  restartPolicy?: string;
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec: PodSpec;
  [key: string]: unknown;
}

export interface Workload {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: { template: PodTemplate; [key: string]: unknown };
  [key: string]: unknown;
}

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A tap or untap refused for this workload; the message is the one the command prints (§22.3 step 13, §22.5). */
export class TapError extends Error {}

/** `Deployment/web`: how every §22 message names a workload. */
export function workloadRef(w: Workload): string {
  return `${w.kind}/${w.metadata.name}`;
}

/** Refuses anything that is not one of the three apps/v1 kinds with a pod template (§22.1). */
export function checkWorkload(w: Workload): void {
  if (!(WORKLOAD_KINDS as readonly string[]).includes(w.kind)) {
    throw new TapError(`unsupported workload kind ${JSON.stringify(w.kind)} (Deployment, StatefulSet or DaemonSet)`);
  }
  const spec = w.spec?.template?.spec;
  if (spec === undefined || !Array.isArray(spec.containers)) {
    throw new TapError(`${workloadRef(w)} has no pod template with containers`);
  }
}

/** A deep copy that keeps every object's key order (JSON round trip: the values are plain JSON). */
export function cloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function templateAnnotations(t: PodTemplate): Record<string, string> {
  return t.metadata?.annotations ?? {};
}

/** Every container of the pod template, app containers first, with the list it lives in. */
export function allContainers(spec: PodSpec): { list: "containers" | "initContainers"; container: Container }[] {
  return [
    ...spec.containers.map((container) => ({ list: "containers" as const, container })),
    ...(spec.initContainers ?? []).map((container) => ({ list: "initContainers" as const, container })),
  ];
}
