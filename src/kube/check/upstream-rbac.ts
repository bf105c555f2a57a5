/**
 * Upstream's nine RBAC checks (§22.7 step 2), kept in `check --json`'s `rbac` array for scripts written against
 * upstream. They probe `patch` although tap writes with `update` too; the per-command view (command-access.ts) is
 * the one that says what would fail.
 */

import type { Permission } from "../rbac-permission.ts";

export const UPSTREAM_RBAC_CHECKS: readonly Permission[] = [
  { verb: "get", group: "apps", resource: "deployments" },
  { verb: "patch", group: "apps", resource: "deployments" },
  { verb: "get", group: "apps", resource: "statefulsets" },
  { verb: "patch", group: "apps", resource: "statefulsets" },
  { verb: "get", group: "apps", resource: "daemonsets" },
  { verb: "patch", group: "apps", resource: "daemonsets" },
  { verb: "create", group: "", resource: "pods" },
  { verb: "list", group: "", resource: "resourcequotas" },
  // Upstream asked in the namespace; nodes are cluster-scoped, so it is asked at the cluster scope (access-review.ts).
  { verb: "list", group: "", resource: "nodes", cluster: true },
];

export interface RbacCheck {
  check: { resource: string; verb: string; group: string };
  allowed: boolean;
}
