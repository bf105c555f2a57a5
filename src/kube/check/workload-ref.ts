/** How check and status name a workload in JSON: `{kind, name, namespace, replicas}` (Appendix A.8). */

import type { Workload } from "../tap/workload.ts";
import { replicasOf } from "../workloads/classify.ts";

export interface WorkloadRef {
  kind: string;
  name: string;
  namespace: string;
  replicas: number;
}

export function workloadRefOf(w: Workload, namespace: string): WorkloadRef {
  return { kind: w.kind, name: w.metadata.name, namespace: w.metadata.namespace ?? namespace, replicas: replicasOf(w) };
}
