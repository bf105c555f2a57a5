/**
 * Request bodies in Kubernetes' protobuf encoding, decoded to the JSON the rest of the stand-in works on. kubectl's
 * typed clients send protobuf (Content-Type application/vnd.kubernetes.protobuf) — `kubectl auth can-i` its
 * SelfSubjectAccessReview, `kubectl create namespace|configmap|secret|serviceaccount|deployment|role|rolebinding|
 * token` their objects — while accepting JSON answers, so only decoding is needed. The envelope is the 4-byte magic
 * "k8s\0" and a runtime.Unknown {typeMeta, raw}; `raw` is the object in the field numbering of the API's
 * generated.proto files. The schemas below cover the messages of those commands; a field outside them is a 415
 * naming it, so a gap shows instead of silently losing data.
 *
 * Go's generated marshalers write non-pointer scalars even when zero, so zero values are dropped (omitempty) except
 * for fields that are pointers in Go (`keep`), where a zero is meaningful (replicas: 0).
 */

import { rfc3339 } from "./json-util.ts";
import { ApiStatusError } from "./status-errors.ts";

export const PROTOBUF = "application/vnd.kubernetes.protobuf";

type Scalar = "string" | "bytes" | "bool" | "int32" | "int64";
type Special = "time" | "quantity" | "intorstring";

interface Field {
  name: string;
  type: Scalar | Special | { message: string } | { map: Scalar | { message: string } | Special };
  repeated?: boolean;
  /** A pointer in Go: keep a zero value. */
  keep?: boolean;
}

const s = (name: string, keep = false): Field => ({ name, type: "string", keep });
const ss = (name: string): Field => ({ name, type: "string", repeated: true });
const b = (name: string, keep = false): Field => ({ name, type: "bool", keep });
const i32 = (name: string, keep = false): Field => ({ name, type: "int32", keep });
const i64 = (name: string, keep = false): Field => ({ name, type: "int64", keep });
const m = (name: string, message: string, repeated = false): Field => ({ name, type: { message }, repeated });
const map = (name: string, value: Field["type"] & ({ message: string } | Scalar | Special) = "string"): Field => ({ name, type: { map: value as any } });

const MESSAGES: Record<string, Record<number, Field>> = {
  Unknown: { 1: m("typeMeta", "TypeMeta"), 2: { name: "raw", type: "bytes" }, 3: s("contentEncoding"), 4: s("contentType") },
  TypeMeta: { 1: s("apiVersion"), 2: s("kind") },
  ObjectMeta: {
    1: s("name"),
    2: s("generateName"),
    3: s("namespace"),
    4: s("selfLink"),
    5: s("uid"),
    6: s("resourceVersion"),
    7: i64("generation"),
    8: { name: "creationTimestamp", type: "time" },
    9: { name: "deletionTimestamp", type: "time" },
    10: i64("deletionGracePeriodSeconds", true),
    11: map("labels"),
    12: map("annotations"),
    13: m("ownerReferences", "OwnerReference", true),
    14: ss("finalizers"),
    17: m("managedFields", "Ignored", true),
  },
  Ignored: {},
  OwnerReference: { 1: s("kind"), 3: s("name"), 4: s("uid"), 5: s("apiVersion"), 6: b("controller", true), 7: b("blockOwnerDeletion", true) },
  LabelSelector: { 1: map("matchLabels"), 2: m("matchExpressions", "LabelSelectorRequirement", true) },
  LabelSelectorRequirement: { 1: s("key"), 2: s("operator"), 3: ss("values") },
  DeleteOptions: { 1: i64("gracePeriodSeconds", true), 2: m("preconditions", "Preconditions"), 3: b("orphanDependents", true), 4: s("propagationPolicy", true), 5: ss("dryRun") },
  Preconditions: { 1: s("uid", true), 2: s("resourceVersion", true) },
  // core/v1
  Namespace: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "NamespaceSpec"), 3: m("status", "Ignored") },
  NamespaceSpec: { 1: ss("finalizers") },
  ConfigMap: { 1: m("metadata", "ObjectMeta"), 2: map("data"), 3: map("binaryData", "bytes"), 4: b("immutable", true) },
  Secret: { 1: m("metadata", "ObjectMeta"), 2: map("data", "bytes"), 3: s("type"), 4: map("stringData"), 5: b("immutable", true) },
  ServiceAccount: { 1: m("metadata", "ObjectMeta"), 2: m("secrets", "ObjectReference", true), 3: m("imagePullSecrets", "LocalObjectReference", true), 4: b("automountServiceAccountToken", true) },
  ObjectReference: { 1: s("kind"), 2: s("namespace"), 3: s("name"), 4: s("uid"), 5: s("apiVersion"), 6: s("resourceVersion"), 7: s("fieldPath") },
  LocalObjectReference: { 1: s("name") },
  Service: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "ServiceSpec"), 3: m("status", "Ignored") },
  ServiceSpec: {
    1: m("ports", "ServicePort", true),
    2: map("selector"),
    3: s("clusterIP"),
    4: s("type"),
    5: ss("externalIPs"),
    7: s("sessionAffinity"),
    8: s("loadBalancerIP"),
    9: ss("loadBalancerSourceRanges"),
    10: s("externalName"),
    11: s("externalTrafficPolicy"),
    12: i32("healthCheckNodePort"),
    13: b("publishNotReadyAddresses"),
    17: s("ipFamilyPolicy", true),
    18: ss("clusterIPs"),
    19: ss("ipFamilies"),
    20: b("allocateLoadBalancerNodePorts", true),
    21: s("loadBalancerClass", true),
    22: s("internalTrafficPolicy", true),
    23: s("trafficDistribution", true),
  },
  ServicePort: { 1: s("name"), 2: s("protocol"), 3: i32("port"), 4: { name: "targetPort", type: "intorstring" }, 5: i32("nodePort"), 6: s("appProtocol", true) },
  Pod: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "PodSpec"), 3: m("status", "Ignored") },
  PodTemplateSpec: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "PodSpec") },
  PodSpec: {
    2: m("containers", "Container", true),
    3: s("restartPolicy"),
    4: i64("terminationGracePeriodSeconds", true),
    5: i64("activeDeadlineSeconds", true),
    6: s("dnsPolicy"),
    7: map("nodeSelector"),
    8: s("serviceAccountName"),
    9: s("serviceAccount"),
    10: s("nodeName"),
    11: b("hostNetwork"),
    12: b("hostPID"),
    13: b("hostIPC"),
    14: m("securityContext", "Ignored"),
    15: m("imagePullSecrets", "LocalObjectReference", true),
    16: s("hostname"),
    17: s("subdomain"),
    19: s("schedulerName"),
    20: m("initContainers", "Container", true),
    21: b("automountServiceAccountToken", true),
    24: s("priorityClassName"),
    25: i32("priority", true),
    30: b("enableServiceLinks", true),
  },
  Container: {
    1: s("name"),
    2: s("image"),
    3: ss("command"),
    4: ss("args"),
    5: s("workingDir"),
    6: m("ports", "ContainerPort", true),
    7: m("env", "EnvVar", true),
    8: m("resources", "ResourceRequirements"),
    9: m("volumeMounts", "VolumeMount", true),
    13: s("terminationMessagePath"),
    14: s("imagePullPolicy"),
    16: b("stdin"),
    17: b("stdinOnce"),
    18: b("tty"),
    20: s("terminationMessagePolicy"),
    24: s("restartPolicy", true),
  },
  ContainerPort: { 1: s("name"), 2: i32("hostPort"), 3: { name: "containerPort", type: "int32", keep: true }, 4: s("protocol"), 5: s("hostIP") },
  EnvVar: { 1: s("name"), 2: s("value") },
  ResourceRequirements: { 1: map("limits", "quantity"), 2: map("requests", "quantity") },
  VolumeMount: { 1: s("name"), 2: b("readOnly"), 3: s("mountPath"), 4: s("subPath"), 6: s("subPathExpr") },
  // apps/v1
  Deployment: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "DeploymentSpec"), 3: m("status", "Ignored") },
  DeploymentSpec: {
    1: i32("replicas", true),
    2: m("selector", "LabelSelector"),
    3: m("template", "PodTemplateSpec"),
    4: m("strategy", "DeploymentStrategy"),
    5: i32("minReadySeconds"),
    6: i32("revisionHistoryLimit", true),
    7: b("paused"),
    9: i32("progressDeadlineSeconds", true),
  },
  DeploymentStrategy: { 1: s("type"), 2: m("rollingUpdate", "RollingUpdateDeployment") },
  RollingUpdateDeployment: { 1: { name: "maxUnavailable", type: "intorstring" }, 2: { name: "maxSurge", type: "intorstring" } },
  // policy/v1
  Eviction: { 1: m("metadata", "ObjectMeta"), 2: m("deleteOptions", "DeleteOptions") },
  // rbac.authorization.k8s.io/v1
  Role: { 1: m("metadata", "ObjectMeta"), 2: m("rules", "PolicyRule", true) },
  ClusterRole: { 1: m("metadata", "ObjectMeta"), 2: m("rules", "PolicyRule", true), 3: m("aggregationRule", "AggregationRule") },
  AggregationRule: { 1: m("clusterRoleSelectors", "LabelSelector", true) },
  PolicyRule: { 1: ss("verbs"), 2: ss("apiGroups"), 3: ss("resources"), 4: ss("resourceNames"), 5: ss("nonResourceURLs") },
  RoleBinding: { 1: m("metadata", "ObjectMeta"), 2: m("subjects", "Subject", true), 3: m("roleRef", "RoleRef") },
  ClusterRoleBinding: { 1: m("metadata", "ObjectMeta"), 2: m("subjects", "Subject", true), 3: m("roleRef", "RoleRef") },
  Subject: { 1: s("kind"), 2: s("apiGroup"), 3: s("name"), 4: s("namespace") },
  RoleRef: { 1: s("apiGroup"), 2: s("kind"), 3: s("name") },
  // authorization.k8s.io/v1
  SelfSubjectAccessReview: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "SelfSubjectAccessReviewSpec"), 3: m("status", "Ignored") },
  SelfSubjectAccessReviewSpec: { 1: m("resourceAttributes", "ResourceAttributes"), 2: m("nonResourceAttributes", "NonResourceAttributes") },
  SubjectAccessReview: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "SubjectAccessReviewSpec"), 3: m("status", "Ignored") },
  SubjectAccessReviewSpec: { 1: m("resourceAttributes", "ResourceAttributes"), 2: m("nonResourceAttributes", "NonResourceAttributes"), 3: s("user"), 4: ss("groups"), 5: m("extra", "Ignored", true), 6: s("uid") },
  ResourceAttributes: { 1: s("namespace"), 2: s("verb"), 3: s("group"), 4: s("version"), 5: s("resource"), 6: s("subresource"), 7: s("name"), 8: m("fieldSelector", "Ignored"), 9: m("labelSelector", "Ignored") },
  NonResourceAttributes: { 1: s("path"), 2: s("verb") },
  SelfSubjectRulesReview: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "SelfSubjectRulesReviewSpec"), 3: m("status", "Ignored") },
  SelfSubjectRulesReviewSpec: { 1: s("namespace") },
  // authentication.k8s.io/v1
  SelfSubjectReview: { 1: m("metadata", "ObjectMeta"), 2: m("status", "Ignored") },
  TokenReview: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "TokenReviewSpec"), 3: m("status", "Ignored") },
  TokenReviewSpec: { 1: s("token"), 2: ss("audiences") },
  TokenRequest: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "TokenRequestSpec"), 3: m("status", "Ignored") },
  TokenRequestSpec: { 1: ss("audiences"), 3: m("boundObjectRef", "BoundObjectReference"), 4: i64("expirationSeconds", true) },
  BoundObjectReference: { 1: s("kind"), 2: s("apiVersion"), 3: s("name"), 4: s("uid") },
  // Small wrappers with their own numbering.
  Time: { 1: i64("seconds"), 2: i32("nanos") },
  Quantity: { 1: s("string") },
  IntOrString: { 1: i64("type"), 2: i32("intVal"), 3: s("strVal") },
  MapEntry: {},
};

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error("truncated varint");
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    if (out.length !== len) throw new Error("truncated field");
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = new TextDecoder();

function unsupported(message: string, field: number | string): ApiStatusError {
  return new ApiStatusError(415, "UnsupportedMediaType", `the stand-in does not decode protobuf field ${field} of ${message}; send this request as application/json`);
}

function scalar(type: Scalar, r: Reader, wire: number): unknown {
  switch (type) {
    case "string":
      return text.decode(r.bytes());
    case "bytes":
      return Buffer.from(r.bytes()).toString("base64");
    case "bool":
      return r.varint() !== 0n;
    case "int32": {
      const v = Number(BigInt.asIntN(32, r.varint()));
      return v;
    }
    case "int64":
      if (wire !== 0) throw new Error("int64 with a non-varint wire type");
      return Number(BigInt.asIntN(64, r.varint()));
  }
}

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false || v === undefined || v === null;
}

function decodeValue(type: Field["type"], r: Reader, wire: number): unknown {
  if (typeof type === "string") {
    switch (type) {
      case "time": {
        const t = decodeMessage("Time", r.bytes()) as { seconds?: number; nanos?: number };
        if (!t.seconds && !t.nanos) return null;
        return rfc3339(new Date((t.seconds ?? 0) * 1000));
      }
      case "quantity":
        return (decodeMessage("Quantity", r.bytes()) as { string?: string }).string ?? "0";
      case "intorstring": {
        const v = decodeMessage("IntOrString", r.bytes()) as { type?: number; intVal?: number; strVal?: string };
        return v.type === 1 ? (v.strVal ?? "") : (v.intVal ?? 0);
      }
      default:
        return scalar(type, r, wire);
    }
  }
  if ("message" in type) return decodeMessage(type.message, r.bytes());
  throw new Error("map values are decoded by decodeMapEntry");
}

function decodeMapEntry(value: Field["type"], bytes: Uint8Array): [string, unknown] {
  const r = new Reader(bytes);
  let key = "";
  let val: unknown = typeof value === "string" && value === "string" ? "" : undefined;
  while (!r.done) {
    const tag = Number(r.varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    if (no === 1) key = text.decode(r.bytes());
    else if (no === 2) val = decodeValue(value, r, wire);
    else r.skip(wire);
  }
  if (val === undefined && typeof value === "string" && value === "bytes") val = "";
  return [key, val ?? ""];
}

export function decodeMessage(name: string, bytes: Uint8Array): Record<string, unknown> {
  const schema = MESSAGES[name];
  if (!schema) throw unsupported(name, "(any)");
  const out: Record<string, unknown> = {};
  if (name === "Ignored") return out;
  const r = new Reader(bytes);
  while (!r.done) {
    const tag = Number(r.varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    const f = schema[no];
    if (!f) throw unsupported(name, no);
    const t = f.type;
    if (typeof t === "object" && "map" in t) {
      const [k, v] = decodeMapEntry(t.map as Field["type"], r.bytes());
      ((out[f.name] ??= {}) as Record<string, unknown>)[k] = v;
      continue;
    }
    if (f.repeated) {
      // Packed repeated scalars are not used by the messages above (strings and messages only).
      (out[f.name] ??= [] as unknown[]) as unknown[];
      (out[f.name] as unknown[]).push(decodeValue(t, r, wire));
      continue;
    }
    const v = decodeValue(t, r, wire);
    if (v === null || (!f.keep && isZero(v))) continue;
    out[f.name] = v;
  }
  return out;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** The object in a protobuf request body, as JSON with apiVersion and kind from the envelope. */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((x, i) => body[i] !== x)) throw new ApiStatusError(400, "BadRequest", "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  let unknown: Record<string, unknown>;
  try {
    unknown = decodeMessage("Unknown", body.subarray(4));
  } catch (e) {
    if (e instanceof ApiStatusError) throw e;
    throw new ApiStatusError(400, "BadRequest", `error decoding protobuf: ${(e as Error).message}`);
  }
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = tm.kind ?? "";
  const raw = Buffer.from((unknown.raw as string | undefined) ?? "", "base64");
  let obj: Record<string, unknown>;
  try {
    obj = decodeMessage(kind, raw);
  } catch (e) {
    if (e instanceof ApiStatusError) throw e;
    throw new ApiStatusError(400, "BadRequest", `error decoding protobuf ${kind}: ${(e as Error).message}`);
  }
  return { apiVersion: tm.apiVersion, kind, ...obj };
}
