/**
 * A pod-template change as data — what `tap --dry-run --json` and `untap --dry-run --json` print — computed by
 * comparing the two templates, so it always says what the write would really do.
 */

import { allContainers, type PodTemplate } from "./workload.ts";

export interface TemplateChange {
  containers: { added: ContainerRef[]; removed: ContainerRef[] };
  volumes: { added: string[]; removed: string[] };
  /** Every annotation whose value differs; null = absent. */
  annotations: { key: string; before: string | null; after: string | null }[];
  /** Containers present on both sides whose imagePullPolicy differs; null = unset. */
  image_pull_policies: { container: string; before: string | null; after: string | null }[];
}

export interface ContainerRef {
  name: string;
  list: "containers" | "initContainers";
}

function refs(t: PodTemplate): ContainerRef[] {
  return allContainers(t.spec).map(({ list, container }) => ({ name: container.name, list }));
}

const missingFrom = (xs: ContainerRef[], ys: ContainerRef[]) => xs.filter((x) => !ys.some((y) => y.name === x.name && y.list === x.list));

export function describeTemplateChange(before: PodTemplate, after: PodTemplate): TemplateChange {
  const b = refs(before);
  const a = refs(after);
  const bv = (before.spec.volumes ?? []).map((v) => v.name);
  const av = (after.spec.volumes ?? []).map((v) => v.name);
  const ba = before.metadata?.annotations ?? {};
  const aa = after.metadata?.annotations ?? {};
  const keys = [...new Set([...Object.keys(ba), ...Object.keys(aa)])];
  const annotations = keys
    .map((key) => ({ key, before: Object.hasOwn(ba, key) ? ba[key]! : null, after: Object.hasOwn(aa, key) ? aa[key]! : null }))
    .filter((c) => c.before !== c.after);
  const policies: TemplateChange["image_pull_policies"] = [];
  for (const { container } of allContainers(before.spec)) {
    const other = allContainers(after.spec).find((x) => x.container.name === container.name)?.container;
    if (other === undefined) continue;
    const was = container.imagePullPolicy ?? null;
    const now = other.imagePullPolicy ?? null;
    if (was !== now) policies.push({ container: container.name, before: was, after: now });
  }
  return {
    containers: { added: missingFrom(a, b), removed: missingFrom(b, a) },
    volumes: { added: av.filter((n) => !bv.includes(n)), removed: bv.filter((n) => !av.includes(n)) },
    annotations,
    image_pull_policies: policies,
  };
}
