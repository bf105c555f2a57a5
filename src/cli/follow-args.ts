/**
 * `recv --follow` flags: what to follow and how, all checked before any cluster call (usage errors, exit 2); then
 * the cluster connection and the targets resolved (`connect to cluster: …`, a missing workload exit 3, a missing
 * permission exit 4) before the receiver binds or writes anything.
 */

import { UsageError } from "../common/errors.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { nowInstant, type Instant } from "../capture/timestamp.ts";
import { compileRe2, RegexSyntaxError } from "../regex/re2.ts";
import type { FollowTarget } from "../kube/follow/follow-target.ts";
import type { FollowEvents } from "../kube/follow/follow-events.ts";
import type { EntryProducer } from "../../pipeline/sources/pod-log-source.ts";
import { clusterArgs, connectFromArgs, type ClusterFlagValues } from "./cluster-args.ts";
import { REPEAT_SEPARATOR } from "./strict-args.ts";

/** The same number as DEFAULT_MAX_STREAMS (src/kube/follow), which this layer does not load unless following. */
const DEFAULT_MAX_STREAMS = "500";

export const followArgs = {
  follow: { type: "string", repeatable: true, description: "also follow these pods' logs through the API: kind/name (deployment/api, statefulset, daemonset, job, pod) or a label selector (app=worker); repeatable" },
  ...clusterArgs,
  "all-namespaces": { type: "boolean", alias: "A", description: "--follow label selectors in every namespace" },
  container: { type: "string", description: "--follow only containers whose name matches this regex (RE2)" },
  since: { type: "string", description: "--follow: start with the lines of this long before now (e.g. 10m), not only new ones" },
  "max-streams": { type: "string", default: DEFAULT_MAX_STREAMS, description: "--follow: container log streams read at once; the others wait (with a warning)" },
} as const;

export interface FollowFlagValues extends ClusterFlagValues {
  follow?: string;
  "all-namespaces"?: boolean;
  container?: string;
  since?: string;
  "max-streams"?: string;
}

export interface FollowPlan {
  targets: FollowTarget[];
  container?: RegExp;
  floor: Instant;
  maxStreams: number;
  allNamespaces: boolean;
}

/** null without --follow (and then the other follow flags are refused). */
export async function parseFollowFlags(args: FollowFlagValues): Promise<FollowPlan | null> {
  const values = (args.follow ?? "").split(REPEAT_SEPARATOR).filter((v) => v !== "");
  if (values.length === 0) {
    const stray = (["namespace", "kubeconfig", "context", "all-namespaces", "container", "since"] as const).find((f) => args[f] !== undefined && args[f] !== false);
    if (stray) throw new UsageError(`--${stray} needs --follow`);
    return null;
  }
  const { parseFollowTarget, FollowTargetError } = await import("../kube/follow/follow-target.ts");
  const targets = values.map((v) => {
    try {
      return parseFollowTarget(v);
    } catch (e) {
      throw e instanceof FollowTargetError ? new UsageError(e.message) : e;
    }
  });
  const allNamespaces = args["all-namespaces"] === true;
  if (allNamespaces && args.namespace) throw new UsageError("--all-namespaces and --namespace exclude each other");
  const named = targets.find((t) => t.type === "workload");
  if (allNamespaces && named) throw new UsageError(`--all-namespaces applies to label selectors; ${named.text} names an object of one namespace (use -n)`);
  let container: RegExp | undefined;
  if (args.container !== undefined) {
    try {
      container = compileRe2(args.container);
    } catch (e) {
      throw e instanceof RegexSyntaxError ? new UsageError(`invalid --container: ${e.message}`) : e;
    }
  }
  const sinceMs = args.since === undefined ? 0 : parseDurationFlag("since", args.since);
  if (sinceMs < 0) throw new UsageError("invalid --since: must not be negative");
  const maxStreams = Number(args["max-streams"] ?? DEFAULT_MAX_STREAMS);
  if (!Number.isInteger(maxStreams) || maxStreams < 1) throw new UsageError(`invalid --max-streams: "${args["max-streams"]}" (a whole number ≥ 1)`);
  const now = nowInstant();
  const floorMs = now.sec * 1000 + now.nsec / 1e6 - sinceMs;
  const floor = sinceMs === 0 ? now : { sec: Math.floor(floorMs / 1000), nsec: Math.min(999_999_999, Math.round((floorMs - Math.floor(floorMs / 1000) * 1000) * 1e6)) };
  return { targets, container, floor, maxStreams, allNamespaces };
}

/** The receiver's `follow` option: the cluster connected and every target resolved (errors end the command here). */
export async function prepareFollow(args: FollowFlagValues, plan: FollowPlan) {
  const cluster = await connectFromArgs(args);
  const { resolveScopes } = await import("../kube/follow/resolve-scopes.ts");
  const { PodLogFollower } = await import("../kube/follow/pod-log-follower.ts");
  const scopes = await resolveScopes(cluster, plan.targets, { namespace: cluster.namespace, allNamespaces: plan.allNamespaces });
  const container = plan.container;
  return {
    targets: scopes.map((s) => s.describe).join("; "),
    maxStreams: plan.maxStreams,
    create: (events: FollowEvents): EntryProducer =>
      new PodLogFollower(cluster, { scopes, floor: plan.floor, maxStreams: plan.maxStreams, containers: container ? (name) => container.test(name) : undefined, events }),
  };
}
