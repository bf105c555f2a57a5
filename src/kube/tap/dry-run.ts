/**
 * `tap --dry-run` / `untap --dry-run` output: a real unified diff of the pod template as YAML (upstream printed
 * the set difference of the whole object's lines), and with `--json` the change as data.
 *
 * The template is rendered where it sits in the object (`spec:` / `template:`), so the lines — and their
 * indentation — are those of `kubectl get -o yaml` and of upstream's diff (Appendix A.9).
 */

import type { TapPlan } from "./plan-tap.ts";
import type { UntapPlan } from "./plan-untap.ts";
import { unifiedDiff } from "./unified-diff.ts";
import { cloneJson, workloadRef, type Json, type PodTemplate, type Workload } from "./workload.ts";
import { yamlLines } from "./yaml.ts";

function templateLines(t: PodTemplate): string[] {
  return yamlLines({ spec: { template: cloneJson(t) as unknown as Json } });
}

/** The headers name the workload (with its namespace) and the change: `--- default/Deployment/web (current)`. */
export function templateDiff(w: Workload, before: PodTemplate, after: PodTemplate, change: string): string {
  const name = `${w.metadata.namespace === undefined ? "" : `${w.metadata.namespace}/`}${workloadRef(w)} spec.template`;
  return unifiedDiff(templateLines(before), templateLines(after), `${name} (current)`, `${name} (${change})`);
}

export function tapDiff(plan: TapPlan): string {
  return templateDiff(plan.workload, plan.before, plan.after, `tapped, session ${plan.session}`);
}

export function untapDiff(plan: UntapPlan): string {
  return templateDiff(plan.workload, plan.before, plan.after, `untapped, session ${plan.removed.map((r) => r.session).join(", ")}`);
}

function workloadJson(w: Workload) {
  return { kind: w.kind, name: w.metadata.name, namespace: w.metadata.namespace ?? null };
}

/** `tap --dry-run --json`, per workload. */
export function tapJson(plan: TapPlan) {
  return {
    workload: workloadJson(plan.workload),
    session: plan.session,
    sidecar: plan.sidecar,
    ...plan.change,
    config_maps: { create: plan.configMap === null ? [] : [plan.configMap.metadata.name], delete: [] as string[] },
    notes: plan.notes,
  };
}

/** `untap --dry-run --json`, per workload. */
export function untapJson(plan: UntapPlan) {
  return {
    workload: workloadJson(plan.workload),
    removed: plan.removed,
    ...plan.change,
    config_maps: { create: [] as string[], delete: plan.configMapsToDelete },
    conflicts: plan.conflicts,
    notes: plan.notes,
  };
}
