/**
 * Authorization: the RBAC authorizer's rule matching (plugin/pkg/auth/authorizer/rbac) over two sources of rules —
 * rules a test sets per user, group or service account (with an optional namespace list), and the stored
 * Role/ClusterRole/RoleBinding/ClusterRoleBinding objects, so what a client creates through the API (tap's Role and
 * RoleBinding for its forwarder) is honoured too. system:masters may do anything (the privileged-group authorizer);
 * every authenticated user may read discovery, /version and the health endpoints and ask about itself
 * (system:discovery, system:public-info-viewer, system:basic-user). Denials carry the real message.
 */

import type { KubeObject, StandInStore } from "./contract.ts";
import type { UserInfo } from "./authn.ts";

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A rule set by a test: a PolicyRule that applies in the listed namespaces only, or everywhere (incl. cluster scope) when none are listed. */
export interface TestRule extends PolicyRule {
  namespaces?: string[];
}

export type Subject = string | { user: string } | { group: string } | { serviceAccount: { namespace: string; name: string } };

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** For non-resource requests. */
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  /** The authorizer's reason: "RBAC: allowed by ...", or on denial the RBAC errors met (missing roles), else "". */
  reason: string;
}

const RBAC_GROUP = "rbac.authorization.k8s.io";

const BASELINE: PolicyRule[] = [
  { verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*"] },
  { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
  { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
];

function subjectKey(s: Subject): string {
  if (typeof s === "string") return `User:${s}`;
  if ("user" in s) return `User:${s.user}`;
  if ("group" in s) return `Group:${s.group}`;
  return `User:system:serviceaccount:${s.serviceAccount.namespace}:${s.serviceAccount.name}`;
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes("*") || rule.verbs.includes(verb);
}

export function ruleAllows(rule: PolicyRule, a: Omit<Attributes, "user">): boolean {
  if (!verbMatches(rule, a.verb)) return false;
  if (!a.isResourceRequest) {
    return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === a.path || (u.endsWith("*") && a.path.startsWith(u.slice(0, -1))));
  }
  const groups = rule.apiGroups ?? [];
  if (!groups.includes("*") && !groups.includes(a.apiGroup)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resOk = (rule.resources ?? []).some((r) => r === "*" || r === combined || (a.subresource !== "" && r === `*/${a.subresource}`));
  if (!resOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

function describeSubject(s: any, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

function subjectApplies(s: any, user: UserInfo, bindingNamespace: string): boolean {
  switch (s?.kind) {
    case "User":
      return s.name === user.name;
    case "Group":
      return user.groups.includes(s.name);
    case "ServiceAccount":
      return user.name === `system:serviceaccount:${s.namespace || bindingNamespace}:${s.name}`;
  }
  return false;
}

export class Authorizer {
  private rules = new Map<string, TestRule[]>();

  constructor(private readonly store: StandInStore) {}

  /** Replaces the test rules of a subject (a bare string is a user name). */
  setRules(subject: Subject, rules: TestRule[]): void {
    if (rules.length) this.rules.set(subjectKey(subject), structuredClone(rules));
    else this.rules.delete(subjectKey(subject));
  }

  addRules(subject: Subject, rules: TestRule[]): void {
    this.rules.set(subjectKey(subject), [...(this.rules.get(subjectKey(subject)) ?? []), ...structuredClone(rules)]);
  }

  /** Drops the test rules of one subject, or of everyone. Stored RBAC objects stay. */
  clearRules(subject?: Subject): void {
    if (subject === undefined) this.rules.clear();
    else this.rules.delete(subjectKey(subject));
  }

  testRules(): Record<string, TestRule[]> {
    return Object.fromEntries([...this.rules].map(([k, v]) => [k, structuredClone(v)]));
  }

  authorize(a: Attributes): Decision {
    const { user } = a;
    if (user.groups.includes("system:masters")) return { allowed: true, reason: "" };
    if (BASELINE.some((r) => ruleAllows(r, a))) return { allowed: true, reason: "" };
    for (const key of this.subjectKeys(user)) {
      for (const r of this.rules.get(key) ?? []) {
        if (r.namespaces && (!a.isResourceRequest || !r.namespaces.includes(a.namespace))) continue;
        if (ruleAllows(r, a)) return { allowed: true, reason: `stand-in: allowed by the test's rules for ${key.replace(":", " ")}` };
      }
    }
    const errors: string[] = [];
    const crbType = this.store.mustType(RBAC_GROUP, "clusterrolebindings");
    for (const b of this.store.list(crbType, undefined).items) {
      const subject = ((b as any).subjects ?? []).find((s: any) => subjectApplies(s, user, ""));
      if (!subject) continue;
      const rules = this.roleRules(b, "", errors);
      if (rules?.some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ${(b as any).roleRef.kind} "${(b as any).roleRef.name}" to ${describeSubject(subject, "")}` };
      }
    }
    if (a.isResourceRequest && a.namespace) {
      const rbType = this.store.mustType(RBAC_GROUP, "rolebindings");
      for (const b of this.store.list(rbType, a.namespace).items) {
        const subject = ((b as any).subjects ?? []).find((s: any) => subjectApplies(s, user, a.namespace));
        if (!subject) continue;
        const rules = this.roleRules(b, a.namespace, errors);
        if (rules?.some((r) => ruleAllows(r, a))) {
          return {
            allowed: true,
            reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${(b as any).roleRef.kind} "${(b as any).roleRef.name}" to ${describeSubject(subject, a.namespace)}`,
          };
        }
      }
    }
    const reason = errors.length === 0 ? "" : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}`;
    return { allowed: false, reason };
  }

  /**
   * The rules that apply to `user` in `namespace` (SelfSubjectRulesReview): test rules, stored bindings, baseline.
   * Namespace-restricted test rules count in their namespaces only.
   */
  rulesFor(user: UserInfo, namespace: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] } {
    const all: PolicyRule[] = [...BASELINE];
    if (user.groups.includes("system:masters")) all.push({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] });
    for (const key of this.subjectKeys(user)) {
      for (const r of this.rules.get(key) ?? []) {
        if (r.namespaces && !r.namespaces.includes(namespace)) continue;
        const { namespaces: _ns, ...rule } = r;
        all.push(rule);
      }
    }
    const errors: string[] = [];
    for (const b of this.store.list(this.store.mustType(RBAC_GROUP, "clusterrolebindings"), undefined).items) {
      if (((b as any).subjects ?? []).some((s: any) => subjectApplies(s, user, ""))) all.push(...(this.roleRules(b, "", errors) ?? []));
    }
    if (namespace) {
      for (const b of this.store.list(this.store.mustType(RBAC_GROUP, "rolebindings"), namespace).items) {
        if (((b as any).subjects ?? []).some((s: any) => subjectApplies(s, user, namespace))) all.push(...(this.roleRules(b, namespace, errors) ?? []));
      }
    }
    const clean = (r: PolicyRule): PolicyRule => {
      const out: PolicyRule = { verbs: r.verbs };
      if (r.apiGroups?.length) out.apiGroups = r.apiGroups;
      if (r.resources?.length) out.resources = r.resources;
      if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
      if (r.nonResourceURLs?.length) out.nonResourceURLs = r.nonResourceURLs;
      return out;
    };
    return {
      resourceRules: all.filter((r) => !r.nonResourceURLs?.length).map(clean),
      nonResourceRules: all.filter((r) => r.nonResourceURLs?.length).map(clean),
    };
  }

  private subjectKeys(user: UserInfo): string[] {
    return [`User:${user.name}`, ...user.groups.map((g) => `Group:${g}`)];
  }

  /** The rules of a binding's role; undefined (and an error noted, as the real authorizer reports it) when the role is missing. */
  private roleRules(binding: KubeObject, namespace: string, errors: string[]): PolicyRule[] | undefined {
    const ref = (binding as any).roleRef ?? {};
    const role =
      ref.kind === "Role"
        ? this.store.get(this.store.mustType(RBAC_GROUP, "roles"), namespace, ref.name)
        : this.store.get(this.store.mustType(RBAC_GROUP, "clusterroles"), undefined, ref.name);
    if (!role) {
      errors.push(`${ref.kind === "Role" ? "role" : "clusterrole"}.rbac.authorization.k8s.io "${ref.name}" not found`);
      return undefined;
    }
    return ((role as any).rules ?? []) as PolicyRule[];
  }
}

/** The real authorization filter's text for a denial (endpoints/handlers/responsewriters/errors.go forbiddenMessage). */
export function forbiddenMessage(a: Attributes): string {
  if (!a.isResourceRequest) return `User "${a.user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}
