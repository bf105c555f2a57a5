/**
 * What `--follow` names, parsed before any cluster call: `kind/name` (deployment, statefulset, daemonset, job or
 * pod, with kubectl's short names and plurals) or a label selector (`app=worker`, `tier in (web,api)`). A value is a
 * selector when it has an operator (`=`, `!`, `<`, `>`, parentheses) or a space; otherwise it must be `kind/name` — a bare
 * word is refused rather than guessed (`app` could be a selector "has label app" or a typo for a pod).
 */

import { parseSelector, SelectorSyntaxError, type Requirement } from "./label-selector.ts";

export type TargetKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "Pod";

export type FollowTarget = { type: "workload"; kind: TargetKind; name: string; text: string } | { type: "selector"; requirements: Requirement[]; text: string };

const KIND_NAMES: Record<string, TargetKind> = {
  deployment: "Deployment",
  deployments: "Deployment",
  deploy: "Deployment",
  statefulset: "StatefulSet",
  statefulsets: "StatefulSet",
  sts: "StatefulSet",
  daemonset: "DaemonSet",
  daemonsets: "DaemonSet",
  ds: "DaemonSet",
  job: "Job",
  jobs: "Job",
  pod: "Pod",
  pods: "Pod",
  po: "Pod",
};

/** A DNS-1123 subdomain, which every one of these kinds' names is. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class FollowTargetError extends Error {}

export function parseFollowTarget(value: string): FollowTarget {
  const text = value.trim();
  const usage = `expected kind/name (deployment/api-gateway; kinds: deployment, statefulset, daemonset, job, pod) or a label selector (app=worker)`;
  if (text === "") throw new FollowTargetError(`invalid --follow "": ${usage}`);
  if (/[=!()<> ]/.test(text)) {
    try {
      return { type: "selector", requirements: parseSelector(text), text };
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw new FollowTargetError(`invalid --follow "${value}": ${e.message}`);
      throw e;
    }
  }
  const slash = text.indexOf("/");
  if (slash < 0) throw new FollowTargetError(`invalid --follow "${value}": ${usage}`);
  const kindText = text.slice(0, slash).toLowerCase().split(".")[0]!;
  const kind = KIND_NAMES[kindText];
  const name = text.slice(slash + 1);
  if (!kind) throw new FollowTargetError(`invalid --follow "${value}": unknown kind "${text.slice(0, slash)}" (deployment, statefulset, daemonset, job or pod)`);
  if (name.length > 253 || !OBJECT_NAME.test(name)) throw new FollowTargetError(`invalid --follow "${value}": "${name}" is not a valid ${kind} name`);
  return { type: "workload", kind, name, text };
}
