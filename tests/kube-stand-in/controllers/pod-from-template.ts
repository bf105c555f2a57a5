/** controller.GetPodFromTemplate: a pod built from a workload's template, owned by the workload. */

import type { KubeObject } from "../contract.ts";
import { clone } from "./object-json.ts";
import { controllerRefTo } from "./owner-references.ts";

export function podFromTemplate(template: any, owner: KubeObject, name: string, extraLabels: Record<string, string> = {}): KubeObject {
  const meta = template?.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ownerReferences: [controllerRefTo(owner)],
    },
    spec: clone(template?.spec ?? {}),
  };
  if (meta.annotations) pod.metadata.annotations = clone(meta.annotations);
  if (meta.finalizers) pod.metadata.finalizers = clone(meta.finalizers);
  return pod;
}
