/**
 * The scheduler, reduced to what decides where a pod may go: nodeSelector, required node affinity (matchFields on
 * `metadata.name` — what the DaemonSet controller writes — and matchExpressions on labels), cordoned nodes (unless
 * the pod tolerates `node.kubernetes.io/unschedulable`) and Ready nodes. Among the fitting nodes the least loaded
 * wins. A pod that fits nowhere gets `PodScheduled=False, Unschedulable` with the scheduler's message.
 */

import type { KubeObject } from "../contract.ts";

function matchesExpression(value: string | undefined, e: any): boolean {
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

export function nodeFits(pod: KubeObject, node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const ready = (node.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
  if (!ready) return false;
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerations.some((t) => t.key === "node.kubernetes.io/unschedulable" && (t.operator === "Exists" || !t.operator))) return false;
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms: any[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  // Terms are ORed; the requirements inside one term are ANDed.
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((e: any) => matchesExpression(labels[e.key], e)) &&
      (t.matchFields ?? []).every((f: any) => f.key === "metadata.name" && matchesExpression(node.metadata.name, f)),
  );
}

export type Placement = { node: string } | { unschedulable: string };

/** Where `pod` goes: the fitting node with the fewest pods (by name on a tie), or why it cannot go anywhere. */
export function placePod(pod: KubeObject, nodes: KubeObject[], pods: KubeObject[]): Placement {
  if (nodes.length === 0) return { unschedulable: "no nodes available to schedule pods" };
  const fitting = nodes.filter((n) => nodeFits(pod, n));
  if (fitting.length === 0) {
    const n = nodes.length;
    return { unschedulable: `0/${n} nodes are available: ${n} node(s) didn't match Pod's node affinity/selector. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.` };
  }
  const load = (name: string) => pods.filter((p) => p.spec?.nodeName === name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed").length;
  fitting.sort((a, b) => load(a.metadata.name!) - load(b.metadata.name!) || a.metadata.name!.localeCompare(b.metadata.name!));
  return { node: fitting[0].metadata.name! };
}
