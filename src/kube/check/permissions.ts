/**
 * What each command asks the API server to do, as RBAC attributes: the table `check` probes with
 * SelfSubjectAccessReview and docs/kubernetes.md ("Permissions each command needs") prints as a Role. When a command
 * starts calling something new, its row here changes with it (recv --follow's rows live beside its calls).
 */

import { FOLLOW_PERMISSIONS } from "../follow/follow-permissions.ts";
import type { Permission } from "../rbac-permission.ts";

export const COMMAND_NAMES = ["tap", "untap", "status", "check", "recv --follow", "deploy", "recv --in-cluster"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const RBAC = "rbac.authorization.k8s.io";
const WORKLOAD_RESOURCES = ["deployments", "statefulsets", "daemonsets"];

function each(verbs: string[], group: string, resources: string[], extra: Partial<Permission> = {}): Permission[] {
  return resources.flatMap((resource) => verbs.map((verb) => ({ verb, group, resource, ...extra })));
}

/** The forwarder's Role (§22.3 step 9): tap can only bind it if it holds these itself (RBAC escalation check). */
const FORWARDER_GRANTS = each(["get", "list", "watch"], "", ["pods", "pods/log"]);

/**
 * A receiver pod, its service and the Secret with the capture token (in a namespace it may create); the capture is
 * read through the service proxy (GET = get) and finished there (POST = create), src/kube/deploy and src/kube/pull.
 */
const RECEIVER_IN_CLUSTER = [
  ...each(["create", "get", "delete"], "", ["pods", "services", "secrets"]),
  ...each(["create", "get", "delete"], "", ["namespaces"], { cluster: true }),
  ...each(["get", "create"], "", ["services/proxy"]),
];

export const COMMAND_PERMISSIONS: Record<CommandName, Permission[]> = {
  tap: [
    // Read, then write back whole with the resourceVersion as precondition (a PUT: update, not patch); --wait
    // polls the workload (get) and its pods.
    ...each(["get", "list", "update"], "apps", WORKLOAD_RESOURCES),
    // The production-namespace check; the native-sidecar decision reads every node's kubelet version.
    { verb: "get", group: "", resource: "namespaces", cluster: true },
    { verb: "list", group: "", resource: "nodes", cluster: true },
    // The resource pre-checks of §22.3 step 11.
    { verb: "list", group: "", resource: "resourcequotas" },
    { verb: "list", group: "", resource: "limitranges" },
    // --wait names the failing pod; a rollback deletes the pods that never became ready.
    { verb: "list", group: "", resource: "pods" },
    { verb: "delete", group: "", resource: "pods", when: "a rollback" },
    ...FORWARDER_GRANTS,
    ...each(["get", "create", "update"], RBAC, ["roles", "rolebindings"]),
    { verb: "create", group: "", resource: "configmaps", when: "--forwarder fluent-bit" },
  ],
  untap: [
    ...each(["get", "list", "update"], "apps", WORKLOAD_RESOURCES),
    { verb: "list", group: "", resource: "pods" },
    // The forwarder's Role and RoleBinding go with the last tapped workload (read first: deleted at that version).
    ...each(["get", "delete"], RBAC, ["roles", "rolebindings"]),
    { verb: "delete", group: "", resource: "configmaps", when: "a Fluent Bit session" },
  ],
  status: [...each(["list"], "apps", WORKLOAD_RESOURCES), { verb: "list", group: "", resource: "pods" }],
  check: [
    ...each(["list"], "apps", WORKLOAD_RESOURCES),
    { verb: "list", group: "", resource: "pods" },
    { verb: "list", group: "", resource: "resourcequotas" },
    { verb: "get", group: "", resource: "namespaces", cluster: true },
  ],
  "recv --follow": FOLLOW_PERMISSIONS,
  deploy: [...RECEIVER_IN_CLUSTER],
  "recv --in-cluster": [...RECEIVER_IN_CLUSTER],
};

/** `apps/deployments`, `/pods` (the core group prints empty, as upstream's RBAC line does). */
export function permissionText(p: Permission): string {
  return `${p.verb} ${p.group}/${p.resource}`;
}

/** One key per distinct question, so each is asked once however many commands need it. */
export function permissionKey(p: Permission): string {
  return `${p.verb} ${p.group}/${p.resource}${p.cluster ? " (cluster)" : ""}`;
}
