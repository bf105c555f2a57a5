/**
 * The labels of a followed container's entries: `namespace`, `pod`, `container`, the workload that runs the pod
 * (`workload_kind`, `workload`) and `app` (the pod's `app.kubernetes.io/name`, else its `app` label). One frozen
 * object per container, shared by all its entries, as every source's entries share their stream's labels.
 *
 * The workload comes from the pod's controller ownerReference; a ReplicaSet made by a Deployment is named
 * `<deployment>-<pod-template-hash>` and its pods carry that hash, so the Deployment is known without reading the
 * ReplicaSet (which would need one more permission and one request per ReplicaSet).
 */

import type { Labels } from "../../model/entry.ts";
import type { Pod } from "./pod.ts";

export function workloadOf(pod: Pod): { kind: string; name: string } | null {
  const refs = pod.metadata.ownerReferences ?? [];
  const owner = refs.find((r) => r.controller) ?? refs[0];
  if (!owner) return null;
  const hash = pod.metadata.labels?.["pod-template-hash"];
  if (owner.kind === "ReplicaSet" && hash && owner.name.endsWith(`-${hash}`)) return { kind: "Deployment", name: owner.name.slice(0, -hash.length - 1) };
  return { kind: owner.kind, name: owner.name };
}

export function containerLabels(pod: Pod, container: string, extra: Readonly<Record<string, string>> = {}): Labels {
  const labels: Record<string, string> = { namespace: pod.metadata.namespace, pod: pod.metadata.name, container };
  const w = workloadOf(pod);
  if (w) {
    labels.workload_kind = w.kind;
    labels.workload = w.name;
  }
  const app = pod.metadata.labels?.["app.kubernetes.io/name"] ?? pod.metadata.labels?.app;
  if (app) labels.app = app;
  return Object.freeze({ ...labels, ...extra });
}
