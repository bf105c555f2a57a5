/**
 * What `recv --follow` asks the API server, as the rows `logtap check` probes (check/permissions.ts takes them from
 * here): next to the calls, so a new call changes its row in the same place.
 */

import type { Permission } from "../rbac-permission.ts";
import { FOLLOWED_WORKLOADS } from "./followed-workloads.ts";

export const FOLLOW_PERMISSIONS: Permission[] = [
  // list + watch: each scope's pods (resolve-scopes.ts, pod-watcher.ts); get: a `pod/name` target, and a
  // container's fresh read of its pod when a stream ends (container-follower.ts).
  ...["get", "list", "watch"].map((verb) => ({ verb, group: "", resource: "pods" })),
  { verb: "get", group: "", resource: "pods/log" },
  // The followed workload's selector (resolve-scopes.ts), only for that kind.
  ...Object.values(FOLLOWED_WORKLOADS).map((w) => ({ verb: "get", group: w.group, resource: w.plural, when: `--follow ${w.singular}/…` })),
];
