/**
 * The patch metadata strategic merge patch reads from the Go types' struct tags (`patchStrategy`, `patchMergeKey`),
 * for the kinds the stand-in serves. The tags were read from the types kubectl 1.32 itself embeds (k8s.io/api
 * v0.32: `strings kubectl | grep patchStrategy`) and placed on their structs by protobuf field number and from
 * k8s.io/api core/v1, apps/v1 and batch/v1 types.go. Every tagged field on the path of a served kind is here:
 *
 *   ObjectMeta      ownerReferences merge/uid, finalizers merge (a list of strings)
 *   PodSpec         volumes merge,retainKeys/name; containers, initContainers, ephemeralContainers merge/name;
 *                   imagePullSecrets merge/name; hostAliases merge/ip; topologySpreadConstraints merge/topologyKey;
 *                   resourceClaims merge,retainKeys/name; schedulingGates merge/name
 *   Container       ports merge/containerPort, env merge/name, volumeMounts merge/mountPath,
 *                   volumeDevices merge/devicePath (EphemeralContainer has the same tags)
 *   PodStatus       conditions merge/type, podIPs and hostIPs merge/ip, resourceClaimStatuses merge,retainKeys/name
 *   ServiceSpec     ports merge/port;   Service/Namespace/PVC/workload statuses: conditions merge/type
 *   NodeSpec        podCIDRs merge;     NodeStatus addresses and conditions merge/type
 *   ServiceAccount  secrets merge/name (its imagePullSecrets has no tag: replaced whole)
 *   DeploymentSpec  strategy retainKeys
 *
 * Untagged lists (args, command, env's envFrom sibling, tolerations, readinessGates, containerStatuses, RBAC rules
 * and subjects, …) are replaced whole, as the real tags say. Structs here are "open": a field not listed has no
 * patch metadata, which is exactly right for tagged-free fields (maps merge key by key, lists are replaced), and
 * the real server only ever looks a field up when the stored object already has it, i.e. for a known field.
 */

/** One struct or map type. `fields` holds only the fields that need metadata or lead to one that does. */
export interface Schema {
  /** The Go type name, for "unable to find api field in struct X" (closed structs only). */
  name: string;
  /** "map" for map[string]T (entries are looked up as `elem`); "struct" otherwise. */
  type?: "struct" | "map";
  fields?: Record<string, FieldMeta>;
  elem?: Schema;
  /** Closed structs reject unknown fields as PatchMetaFromStruct does; the kinds' structs are open (see above). */
  closed?: boolean;
}

export interface FieldMeta {
  /** The struct tag's patchStrategy, e.g. "merge", "replace", "retainKeys", "merge,retainKeys". */
  strategy?: string;
  patchMergeKey?: string;
  /** The value's schema; for a list, its elements' schema. */
  schema?: Schema;
}

/** A type with no metadata anywhere below it. */
export const OPEN: Schema = { name: "", type: "struct" };

const merge = (patchMergeKey?: string, schema?: Schema): FieldMeta => ({ strategy: "merge", patchMergeKey, schema });
const conditions = (): FieldMeta => merge("type");

const objectMeta: Schema = {
  name: "ObjectMeta",
  fields: { ownerReferences: merge("uid"), finalizers: merge() },
};

const container: Schema = {
  name: "Container",
  fields: {
    ports: merge("containerPort"),
    env: merge("name"),
    volumeMounts: merge("mountPath"),
    volumeDevices: merge("devicePath"),
  },
};

const volume: Schema = {
  name: "Volume",
  fields: { ephemeral: { schema: { name: "EphemeralVolumeSource", fields: { volumeClaimTemplate: { schema: { name: "PersistentVolumeClaimTemplate", fields: { metadata: { schema: objectMeta } } } } } } } },
};

const podSpec: Schema = {
  name: "PodSpec",
  fields: {
    volumes: { strategy: "merge,retainKeys", patchMergeKey: "name", schema: volume },
    initContainers: merge("name", container),
    containers: merge("name", container),
    ephemeralContainers: merge("name", { ...container, name: "EphemeralContainer" }),
    imagePullSecrets: merge("name"),
    hostAliases: merge("ip"),
    topologySpreadConstraints: merge("topologyKey"),
    resourceClaims: { strategy: "merge,retainKeys", patchMergeKey: "name" },
    schedulingGates: merge("name"),
  },
};

const podStatus: Schema = {
  name: "PodStatus",
  fields: {
    conditions: conditions(),
    podIPs: merge("ip"),
    hostIPs: merge("ip"),
    resourceClaimStatuses: { strategy: "merge,retainKeys", patchMergeKey: "name" },
  },
};

const podTemplateSpec: Schema = { name: "PodTemplateSpec", fields: { metadata: { schema: objectMeta }, spec: { schema: podSpec } } };

/** A kind with metadata, and optionally a spec and status schema. */
function kind(name: string, spec?: Schema, status?: Schema, extra: Record<string, FieldMeta> = {}): Schema {
  const fields: Record<string, FieldMeta> = { metadata: { schema: objectMeta }, ...extra };
  if (spec) fields.spec = { schema: spec };
  if (status) fields.status = { schema: status };
  return { name, fields };
}

const withConditions = (name: string): Schema => ({ name, fields: { conditions: conditions() } });
const templated = (name: string, extra: Record<string, FieldMeta> = {}): Schema => ({ name, fields: { template: { schema: podTemplateSpec }, ...extra } });

export const schemasByKind: Record<string, Schema> = {
  Pod: kind("Pod", podSpec, podStatus),
  PodTemplate: kind("PodTemplate", undefined, undefined, { template: { schema: podTemplateSpec } }),
  ReplicationController: kind("ReplicationController", templated("ReplicationControllerSpec"), withConditions("ReplicationControllerStatus")),
  Deployment: kind("Deployment", templated("DeploymentSpec", { strategy: { strategy: "retainKeys" } }), withConditions("DeploymentStatus")),
  StatefulSet: kind("StatefulSet", templated("StatefulSetSpec"), withConditions("StatefulSetStatus")),
  DaemonSet: kind("DaemonSet", templated("DaemonSetSpec"), withConditions("DaemonSetStatus")),
  ReplicaSet: kind("ReplicaSet", templated("ReplicaSetSpec"), withConditions("ReplicaSetStatus")),
  Job: kind("Job", templated("JobSpec"), withConditions("JobStatus")),
  CronJob: kind("CronJob", {
    name: "CronJobSpec",
    fields: { jobTemplate: { schema: { name: "JobTemplateSpec", fields: { metadata: { schema: objectMeta }, spec: { schema: templated("JobSpec") } } } } },
  }),
  Service: kind("Service", { name: "ServiceSpec", fields: { ports: merge("port") } }, withConditions("ServiceStatus")),
  Node: kind("Node", { name: "NodeSpec", fields: { podCIDRs: merge() } }, { name: "NodeStatus", fields: { conditions: conditions(), addresses: merge("type") } }),
  Namespace: kind("Namespace", undefined, withConditions("NamespaceStatus")),
  PersistentVolumeClaim: kind("PersistentVolumeClaim", undefined, withConditions("PersistentVolumeClaimStatus")),
  ServiceAccount: kind("ServiceAccount", undefined, undefined, { secrets: merge("name") }),
  ConfigMap: kind("ConfigMap"),
  Secret: kind("Secret"),
  Endpoints: kind("Endpoints"),
  Event: kind("Event"),
  ResourceQuota: kind("ResourceQuota"),
  LimitRange: kind("LimitRange"),
  Role: kind("Role"),
  RoleBinding: kind("RoleBinding"),
  ClusterRole: kind("ClusterRole"),
  ClusterRoleBinding: kind("ClusterRoleBinding"),
};
