/**
 * `--follow` targets → pod scopes: one list+watch of pods per namespace. A workload is resolved once to its
 * `spec.selector` (a missing one fails here: `get deployment api: … not found`, exit 3), a pod to its name. A
 * namespace with one target gives the server its selector; several targets in one namespace share one unfiltered
 * watch and are matched here, so the number of watches never grows with the targets. The first list of each scope is
 * made here too, so a missing permission (exit 4) stops the command before the receiver writes anything.
 */

import type { Cluster } from "../connect.ts";
import { withContext } from "../workloads/wrap-error.ts";
import type { FollowTarget } from "./follow-target.ts";
import { FOLLOWED_WORKLOADS, followedWorkloadPath } from "./followed-workloads.ts";
import { matches, requirementsOf, selectorText, type Requirement } from "./label-selector.ts";
import { podsPath, type Pod, type PodList } from "./pod.ts";

export interface PodScope {
  /** null: every namespace (`--all-namespaces`). */
  namespace: string | null;
  labelSelector?: string;
  fieldSelector?: string;
  /** Whether a pod this scope lists belongs to one of its targets. */
  match(pod: Pod): boolean;
  /** For messages: `deployment/api-gateway, app=worker in payments`. */
  describe: string;
  /** The first list, made while resolving; the watch starts from its resourceVersion. */
  initial: PodList;
}

interface Resolved {
  namespace: string | null;
  text: string;
  requirements?: Requirement[];
  podName?: string;
}

export interface ResolveOptions {
  /** -n, else the context's namespace. */
  namespace: string;
  allNamespaces: boolean;
  signal?: AbortSignal;
}

export async function resolveScopes(cluster: Cluster, targets: readonly FollowTarget[], o: ResolveOptions): Promise<PodScope[]> {
  const resolved = await Promise.all(targets.map((t) => resolveTarget(cluster, t, o)));
  const byNamespace = new Map<string | null, Resolved[]>();
  for (const r of resolved) byNamespace.set(r.namespace, [...(byNamespace.get(r.namespace) ?? []), r]);
  return Promise.all([...byNamespace].map(([namespace, rs]) => scopeOf(cluster, namespace, rs, o.signal)));
}

async function resolveTarget(cluster: Cluster, t: FollowTarget, o: ResolveOptions): Promise<Resolved> {
  if (t.type === "selector") return { namespace: o.allNamespaces ? null : o.namespace, text: t.text, requirements: t.requirements };
  const ns = o.namespace;
  if (t.kind === "Pod") {
    await getObject(cluster, `${podsPath(ns)}/${encodeURIComponent(t.name)}`, `get pod ${t.name}`, o.signal);
    return { namespace: ns, text: t.text, podName: t.name };
  }
  const w = FOLLOWED_WORKLOADS[t.kind];
  const { spec } = (await getObject(cluster, followedWorkloadPath(w, ns, t.name), `get ${w.singular} ${t.name}`, o.signal)) as { spec?: { selector?: never } };
  return { namespace: ns, text: t.text, requirements: requirementsOf(spec?.selector) };
}

async function getObject(cluster: Cluster, path: string, what: string, signal?: AbortSignal): Promise<unknown> {
  try {
    return await cluster.request({ path, signal });
  } catch (e) {
    throw withContext(what, e);
  }
}

function matchOne(r: Resolved, pod: Pod): boolean {
  if (r.podName !== undefined) return pod.metadata.name === r.podName;
  return matches(r.requirements ?? [], pod.metadata.labels);
}

async function scopeOf(cluster: Cluster, namespace: string | null, rs: Resolved[], signal?: AbortSignal): Promise<PodScope> {
  const only = rs.length === 1 ? rs[0]! : undefined;
  const labelSelector = only?.requirements ? selectorText(only.requirements) : undefined;
  const fieldSelector = only?.podName !== undefined ? `metadata.name=${only.podName}` : undefined;
  const where = namespace === null ? "in every namespace" : `in ${namespace}`;
  let initial: PodList;
  try {
    initial = await cluster.request<PodList>({ path: podsPath(namespace), query: { labelSelector, fieldSelector }, signal });
  } catch (e) {
    throw withContext(`list pods ${where}`, e);
  }
  return {
    namespace,
    labelSelector,
    fieldSelector,
    match: (pod) => rs.some((r) => matchOne(r, pod)),
    describe: `${rs.map((r) => r.text).join(", ")} ${where}`,
    initial,
  };
}

/** A scope for one known pod (the forwarder's own), without resolving anything. */
export async function podScope(cluster: Cluster, namespace: string, pod: string, signal?: AbortSignal): Promise<PodScope> {
  return scopeOf(cluster, namespace, [{ namespace, text: `pod/${pod}`, podName: pod }], signal);
}
