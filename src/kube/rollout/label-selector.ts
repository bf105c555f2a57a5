/** A workload's `spec.selector` (matchLabels and matchExpressions) as the label-selector text a pod list takes. */

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

export function selectorText(s: LabelSelector | undefined): string {
  const out = Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of s?.matchExpressions ?? []) {
    const values = `(${(r.values ?? []).join(",")})`;
    if (r.operator === "In") out.push(`${r.key} in ${values}`);
    else if (r.operator === "NotIn") out.push(`${r.key} notin ${values}`);
    else if (r.operator === "Exists") out.push(r.key);
    else if (r.operator === "DoesNotExist") out.push(`!${r.key}`);
  }
  return out.join(",");
}
