/**
 * Label selectors as requirements, the form both `--follow app=worker` and a workload's `spec.selector` take:
 * parsed with the grammar of apimachinery's labels.Parse (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`; comma =
 * AND), checked before any cluster call, matched against pod labels locally (several targets in one namespace share
 * one pod watch), and written back as the text a pod list takes.
 */

export type Operator = "=" | "!=" | "in" | "notin" | "exists" | "!exists";

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorSyntaxError extends Error {}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Parses `app=worker,tier in (web,api),!canary`; throws SelectorSyntaxError naming the problem. */
export function parseSelector(text: string): Requirement[] {
  const parts = splitTopLevel(text);
  if (parts.length === 0) throw new SelectorSyntaxError("empty label selector");
  return parts.map(parseRequirement);
}

/** Splits at commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter((p, i, all) => p !== "" || all.length > 1);
}

function parseRequirement(part: string): Requirement {
  if (part === "") throw new SelectorSyntaxError("empty requirement (two commas in a row?)");
  if (part.startsWith("!")) return { key: checkKey(part.slice(1).trim()), op: "!exists", values: [] };
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const values = set[3]!.split(",").map((v) => checkValue(v.trim()));
    return { key: checkKey(set[1]!), op: set[2] as "in" | "notin", values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
  if (cmp) return { key: checkKey(cmp[1]!), op: cmp[2] === "!=" ? "!=" : "=", values: [checkValue(cmp[3]!.trim())] };
  if (/[<>]/.test(part)) throw new SelectorSyntaxError(`"${part}": the < and > operators are not supported here`);
  return { key: checkKey(part), op: "exists", values: [] };
}

function checkKey(key: string): string {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) throw new SelectorSyntaxError(`invalid label key "${key}": the prefix must be a DNS subdomain`);
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new SelectorSyntaxError(`invalid label key "${key}": a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
  return key;
}

function checkValue(value: string): string {
  if (value !== "" && (value.length > 63 || !NAME.test(value))) {
    throw new SelectorSyntaxError(`invalid label value "${value}": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
  return value;
}

/** A workload's `spec.selector` (matchLabels and matchExpressions) as requirements. */
export function requirementsOf(s: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): Requirement[] {
  const out: Requirement[] = Object.entries(s?.matchLabels ?? {}).map(([key, v]) => ({ key, op: "=" as const, values: [v] }));
  const ops: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" };
  for (const e of s?.matchExpressions ?? []) if (ops[e.operator]) out.push({ key: e.key, op: ops[e.operator]!, values: e.values ?? [] });
  return out;
}

export function matches(reqs: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case "=":
        return has && l[r.key] === r.values[0];
      case "!=":
        return !has || l[r.key] !== r.values[0];
      case "in":
        return has && r.values.includes(l[r.key]!);
      case "notin":
        return !has || !r.values.includes(l[r.key]!);
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

/** The `labelSelector` query text. */
export function selectorText(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      if (r.op === "exists") return r.key;
      if (r.op === "!exists") return `!${r.key}`;
      if (r.op === "in" || r.op === "notin") return `${r.key} ${r.op} (${r.values.join(",")})`;
      return `${r.key}${r.op}${r.values[0]}`;
    })
    .join(",");
}
