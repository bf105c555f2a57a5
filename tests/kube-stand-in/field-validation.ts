/**
 * Field validation (`?fieldValidation=Strict|Warn|Ignore`) for the objects whose shape matters most to logtap:
 * Pods and the pod templates of Deployments, ReplicaSets, StatefulSets and DaemonSets. A real server decodes into
 * typed structs, so an unknown field is an error with Strict (what kubectl sends), and is dropped with a
 * `Warning: 299` header with Warn (the default when the parameter is absent) or silently with Ignore — a typo such
 * as `imagePullPolcy` never reaches storage. The known field names below are those of the core/v1 and apps/v1 Go
 * types (1.31); parts of the tree marked `any` (affinity, probes' handlers, volume sources, security contexts, ...)
 * are not descended into. Other kinds are not checked (see docs/testing.md).
 */

import type { KubeObject, ResourceType } from "./contract.ts";
import { ApiStatusError } from "./status-errors.ts";

type Shape = "any" | "map" | { fields: Record<string, Shape> } | { list: Shape };

const any: Shape = "any";
const map: Shape = "map";
const obj = (fields: Record<string, Shape>): Shape => ({ fields });
const list = (of: Shape): Shape => ({ list: of });
const leaves = (...names: string[]): Record<string, Shape> => Object.fromEntries(names.map((n) => [n, any]));

const objectMeta = obj({
  ...leaves("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields"),
  labels: map,
  annotations: map,
});

const containerPort = obj(leaves("name", "hostPort", "containerPort", "protocol", "hostIP"));
const envVar = obj(leaves("name", "value", "valueFrom"));
const volumeMount = obj(leaves("name", "readOnly", "recursiveReadOnly", "mountPath", "subPath", "mountPropagation", "subPathExpr"));
const resources = obj({ limits: map, requests: map, claims: any });
const probe = obj(leaves("exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"));

const container = obj({
  ...leaves("name", "image", "command", "args", "workingDir", "envFrom", "resizePolicy", "restartPolicy", "volumeDevices", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty"),
  ports: list(containerPort),
  env: list(envVar),
  resources,
  volumeMounts: list(volumeMount),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
});

const volume = obj(
  leaves(
    "name",
    "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume", "flocker",
    "gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "nfs", "persistentVolumeClaim", "photonPersistentDisk", "portworxVolume", "projected",
    "quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume",
  ),
);

const podSpec = obj({
  ...leaves(
    "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "serviceAccountName", "serviceAccount",
    "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
    "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
    "enableServiceLinks", "preemptionPolicy", "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
  ),
  volumes: list(volume),
  initContainers: list(container),
  containers: list(container),
  nodeSelector: map,
  overhead: map,
});

const template = obj({ metadata: objectMeta, spec: podSpec });
const top = (spec: Shape): Shape => obj({ apiVersion: any, kind: any, metadata: objectMeta, spec, status: any });

const SHAPES: Record<string, Shape> = {
  "/pods": top(podSpec),
  "apps/deployments": top(obj({ ...leaves("replicas", "selector", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"), template })),
  "apps/replicasets": top(obj({ ...leaves("replicas", "minReadySeconds", "selector"), template })),
  "apps/statefulsets": top(
    obj({ ...leaves("replicas", "selector", "volumeClaimTemplates", "serviceName", "podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"), template }),
  ),
  "apps/daemonsets": top(obj({ ...leaves("selector", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"), template })),
};

/** Removes the unknown fields of `value` (in place) and returns their paths, as the strict decoder names them. */
function prune(value: unknown, shape: Shape, path: string, out: string[]): void {
  if (shape === "any" || shape === "map" || value === null || typeof value !== "object") return;
  if ("list" in shape) {
    if (Array.isArray(value)) value.forEach((v, i) => prune(v, shape.list, `${path}[${i}]`, out));
    return;
  }
  if (Array.isArray(value)) return;
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const p = path ? `${path}.${k}` : k;
    const sub = shape.fields[k];
    if (sub === undefined) {
      out.push(p);
      delete o[k];
    } else prune(o[k], sub, p, out);
  }
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationOf(params: URLSearchParams): FieldValidation {
  const v = params.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw new ApiStatusError(400, "BadRequest", `fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Applies field validation to an object about to be written (in place). Strict: 400 naming the unknown fields.
 * Otherwise they are dropped; the returned warnings are for the response's Warning headers (Warn only).
 */
export function validateFields(type: ResourceType, object: KubeObject, mode: FieldValidation): string[] {
  const shape = SHAPES[`${type.group}/${type.resource}`];
  if (!shape) return [];
  const unknown: string[] = [];
  prune(object, shape, "", unknown);
  if (!unknown.length) return [];
  if (mode === "Strict") {
    throw new ApiStatusError(400, "BadRequest", `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(", ")}`);
  }
  return mode === "Warn" ? unknown.map((p) => `unknown field "${p}"`) : [];
}

/** The Warning header value for a warning text (RFC 7234 warn-code 299, agent "-"). */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
