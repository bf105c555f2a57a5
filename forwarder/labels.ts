/**
 * The labels the forwarder pushes (§23.3): exactly upstream's four — namespace, pod, session, container — so
 * receivers and queries made for upstream's forwarder see what they expect, plus `app` when the pod has one
 * (`app.kubernetes.io/name`, else `app`): the receiver's dashboard, triage and report name a service by it, and
 * without it upstream's captures were named after an arbitrary one of the four.
 */

import type { Labels } from "../src/model/entry.ts";

export interface OwnPod {
  namespace: string;
  pod: string;
  session: string;
  /** The pod's `app.kubernetes.io/name` or `app` label, if any. */
  app?: string;
}

export function appOf(podLabels: Record<string, string> | undefined): string | undefined {
  return podLabels?.["app.kubernetes.io/name"] || podLabels?.app || undefined;
}

/** One frozen set per container, shared by all its lines; keys in sorted order, as interned sets are. */
export function forwarderLabels(own: OwnPod): (container: string) => Labels {
  const sets = new Map<string, Labels>();
  return (container) => {
    let set = sets.get(container);
    if (!set) {
      const l: Record<string, string> = {};
      if (own.app) l.app = own.app;
      Object.assign(l, { container, namespace: own.namespace, pod: own.pod, session: own.session });
      sets.set(container, (set = Object.freeze(l)));
    }
    return set;
  };
}
