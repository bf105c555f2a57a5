/**
 * Server-side printing: `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and prints the
 * columns the server sends. The columns here are the real printers' (pkg/printers/internalversion/printers.go) for
 * the served resources; others get the generic Name/Created At table a real server gives resources without a
 * printer.
 */

import type { KubeObject, ResourceType } from "./contract.ts";
import { labelSelectorFromObject } from "./selectors/label-selector.ts";

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: any, now: Date) => unknown;
}

/** apimachinery's duration.HumanDuration, which every Age column uses. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: any, now: Date) => (o.metadata?.creationTimestamp ? humanDuration(now.getTime() - Date.parse(o.metadata.creationTimestamp)) : "<unknown>");
const nameCol: Column = { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0, cell: (o) => o.metadata?.name ?? "" };
const ageCol: Column = { name: "Age", type: "string", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0, cell: age };
const col = (name: string, cell: Column["cell"], priority = 0, type = "string"): Column => ({ name, type, description: name, priority, cell });

const containers = (o: any) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.name).join(",");
const images = (o: any) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image).join(",");
const selector = (o: any) => {
  try {
    return labelSelectorFromObject(o.spec?.selector).selectorString || "<none>";
  } catch {
    return "<invalid>";
  }
};
const num = (v: unknown) => (typeof v === "number" ? v : 0);

function podStatusReason(p: any): string {
  let reason = p.status?.reason || p.status?.phase || "";
  const inits = p.status?.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i];
    if (s.state?.terminated?.exitCode === 0) continue;
    if (s.state?.terminated) {
      reason = s.state.terminated.reason ? `Init:${s.state.terminated.reason}` : `Init:ExitCode:${s.state.terminated.exitCode}`;
      break;
    }
    if (s.state?.waiting?.reason && s.state.waiting.reason !== "PodInitializing") {
      reason = `Init:${s.state.waiting.reason}`;
      break;
    }
    if (!s.started && !(s.ready && s.state?.running)) {
      reason = `Init:${i}/${(p.spec?.initContainers ?? []).length}`;
      break;
    }
  }
  let running = false;
  for (const s of [...(p.status?.containerStatuses ?? [])].reverse()) {
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
    else if (s.state?.terminated) reason = s.state.terminated.signal ? `Signal:${s.state.terminated.signal}` : `ExitCode:${s.state.terminated.exitCode}`;
    else if (s.ready && s.state?.running) running = true;
  }
  if (reason === "Completed" && running) reason = "Running";
  if (p.metadata?.deletionTimestamp) reason = p.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
}

function servicePorts(s: any): string {
  const ports = s.spec?.ports ?? [];
  if (!ports.length) return "<none>";
  return ports.map((p: any) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`)).join(",");
}

function externalIP(s: any): string {
  const type = s.spec?.type;
  if (type === "ExternalName") return s.spec?.externalName ?? "<none>";
  const ing = (s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
  const ext = [...(s.spec?.externalIPs ?? []), ...ing];
  if (ext.length) return ext.join(",");
  return type === "LoadBalancer" ? "<pending>" : "<none>";
}

function nodeStatus(n: any): string {
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === "Ready");
  let s = !ready ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady";
  if (n.spec?.unschedulable) s += ",SchedulingDisabled";
  return s;
}

function nodeRoles(n: any): string {
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return roles.length ? roles.sort().join(",") : "<none>";
}

const COLUMNS: Record<string, Column[]> = {
  "/pods": [
    nameCol,
    col("Ready", (p) => `${(p.status?.containerStatuses ?? []).filter((s: any) => s.ready).length}/${(p.spec?.containers ?? []).length}`),
    col("Status", podStatusReason),
    col("Restarts", (p) => (p.status?.containerStatuses ?? []).reduce((n: number, s: any) => n + num(s.restartCount), 0), 0, "integer"),
    ageCol,
    col("IP", (p) => p.status?.podIP || "<none>", 1),
    col("Node", (p) => p.spec?.nodeName || "<none>", 1),
    col("Nominated Node", (p) => p.status?.nominatedNodeName || "<none>", 1),
    col("Readiness Gates", (p) => (p.spec?.readinessGates?.length ? `0/${p.spec.readinessGates.length}` : "<none>"), 1),
  ],
  "apps/deployments": [
    nameCol,
    col("Ready", (d) => `${num(d.status?.readyReplicas)}/${num(d.spec?.replicas)}`),
    col("Up-to-date", (d) => num(d.status?.updatedReplicas), 0, "integer"),
    col("Available", (d) => num(d.status?.availableReplicas), 0, "integer"),
    ageCol,
    col("Containers", containers, 1),
    col("Images", images, 1),
    col("Selector", selector, 1),
  ],
  "apps/replicasets": [
    nameCol,
    col("Desired", (r) => num(r.spec?.replicas), 0, "integer"),
    col("Current", (r) => num(r.status?.replicas), 0, "integer"),
    col("Ready", (r) => num(r.status?.readyReplicas), 0, "integer"),
    ageCol,
    col("Containers", containers, 1),
    col("Images", images, 1),
    col("Selector", selector, 1),
  ],
  "apps/statefulsets": [nameCol, col("Ready", (s) => `${num(s.status?.readyReplicas)}/${num(s.spec?.replicas)}`), ageCol, col("Containers", containers, 1), col("Images", images, 1)],
  "apps/daemonsets": [
    nameCol,
    col("Desired", (d) => num(d.status?.desiredNumberScheduled), 0, "integer"),
    col("Current", (d) => num(d.status?.currentNumberScheduled), 0, "integer"),
    col("Ready", (d) => num(d.status?.numberReady), 0, "integer"),
    col("Up-to-date", (d) => num(d.status?.updatedNumberScheduled), 0, "integer"),
    col("Available", (d) => num(d.status?.numberAvailable), 0, "integer"),
    col("Node Selector", (d) => Object.entries(d.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(",") || "<none>"),
    ageCol,
    col("Containers", containers, 1),
    col("Images", images, 1),
    col("Selector", selector, 1),
  ],
  "apps/controllerrevisions": [
    nameCol,
    col("Controller", (r) => {
      const c = (r.metadata?.ownerReferences ?? []).find((o: any) => o.controller);
      return c ? `${c.kind.toLowerCase()}.${c.apiVersion.split("/")[0]}/${c.name}` : "<none>";
    }),
    col("Revision", (r) => num(r.revision), 0, "integer"),
    ageCol,
  ],
  "/services": [
    nameCol,
    col("Type", (s) => s.spec?.type ?? "ClusterIP"),
    col("Cluster-IP", (s) => s.spec?.clusterIP || "<none>"),
    col("External-IP", externalIP),
    col("Port(s)", servicePorts),
    ageCol,
    col("Selector", (s) => Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(",") || "<none>", 1),
  ],
  "/namespaces": [nameCol, col("Status", (n) => n.status?.phase ?? "Active"), ageCol],
  "/configmaps": [nameCol, col("Data", (c) => Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, 0, "integer"), ageCol],
  "/secrets": [nameCol, col("Type", (s) => s.type ?? "Opaque"), col("Data", (s) => Object.keys(s.data ?? {}).length, 0, "integer"), ageCol],
  "/serviceaccounts": [nameCol, col("Secrets", (s) => (s.secrets ?? []).length, 0, "integer"), ageCol],
  "/nodes": [
    nameCol,
    col("Status", nodeStatus),
    col("Roles", nodeRoles),
    ageCol,
    col("Version", (n) => n.status?.nodeInfo?.kubeletVersion ?? ""),
    col("Internal-IP", (n) => (n.status?.addresses ?? []).find((a: any) => a.type === "InternalIP")?.address ?? "<none>", 1),
    col("External-IP", (n) => (n.status?.addresses ?? []).find((a: any) => a.type === "ExternalIP")?.address ?? "<none>", 1),
    col("OS-Image", (n) => n.status?.nodeInfo?.osImage ?? "<unknown>", 1),
    col("Kernel-Version", (n) => n.status?.nodeInfo?.kernelVersion ?? "<unknown>", 1),
    col("Container-Runtime", (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? "<unknown>", 1),
  ],
  "/events": [
    col("Last Seen", (e, now) => {
      const t = e.lastTimestamp || e.eventTime || e.metadata?.creationTimestamp;
      return t ? humanDuration(now.getTime() - Date.parse(t)) : "<unknown>";
    }),
    col("Type", (e) => e.type ?? ""),
    col("Reason", (e) => e.reason ?? ""),
    col("Object", (e) => `${(e.involvedObject?.kind ?? "").toLowerCase()}/${e.involvedObject?.name ?? ""}`),
    col("Message", (e) => e.message ?? ""),
  ],
  "rbac.authorization.k8s.io/roles": [nameCol, col("Created At", (o) => o.metadata?.creationTimestamp ?? "")],
  "rbac.authorization.k8s.io/clusterroles": [nameCol, col("Created At", (o) => o.metadata?.creationTimestamp ?? "")],
  "rbac.authorization.k8s.io/rolebindings": [nameCol, col("Role", (b) => `${b.roleRef?.kind}/${b.roleRef?.name}`), ageCol],
  "rbac.authorization.k8s.io/clusterrolebindings": [nameCol, col("Role", (b) => `${b.roleRef?.kind}/${b.roleRef?.name}`), ageCol],
  "/endpoints": [
    nameCol,
    col("Endpoints", (e) => {
      const eps = (e.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).flatMap((a: any) => (s.ports ?? [{}]).map((p: any) => (p.port ? `${a.ip}:${p.port}` : a.ip))));
      return eps.length ? eps.join(",") : "<none>";
    }),
    ageCol,
  ],
};

const GENERIC: Column[] = [nameCol, { name: "Created At", type: "date", description: "CreationTimestamp", priority: 0, cell: (o) => o.metadata?.creationTimestamp ?? "" }];

export type IncludeObject = "None" | "Metadata" | "Object";

/** Whether an Accept header asks for a Table (`as=Table;g=meta.k8s.io`, v1 or v1beta1). */
export function wantsTable(accept: string | null): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const params = part.split(";").map((p) => p.trim());
    return params.includes("as=Table") && params.some((p) => p === "g=meta.k8s.io");
  });
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

export function toTable(type: ResourceType, objects: KubeObject[], o: { resourceVersion?: string; continueToken?: string; include?: IncludeObject; noHeaders?: boolean; now?: Date }): KubeObject {
  const cols = COLUMNS[`${type.group}/${type.resource}`] ?? GENERIC;
  const now = o.now ?? new Date();
  const include = o.include ?? "Metadata";
  const metadata: Record<string, string> = {};
  if (o.resourceVersion) metadata.resourceVersion = o.resourceVersion;
  if (o.continueToken) metadata.continue = o.continueToken;
  const table: KubeObject = {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: o.noHeaders ? null : cols.map(({ cell: _c, ...d }) => d),
    rows: objects.map((obj) => {
      const row: Record<string, unknown> = { cells: cols.map((c) => c.cell(obj, now)) };
      const ro = rowObject(obj, include);
      if (ro !== undefined) row.object = ro;
      return row;
    }),
  };
  return table;
}
