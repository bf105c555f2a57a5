/**
 * The defaulting a real API server applies on every write (k8s.io/kubernetes pkg/apis/{core,apps}/v1/defaults.go
 * and the admission plugins that run by default), limited to what clients can observe in the resources served.
 * It matters beyond looks: the pod-template hash a Deployment's ReplicaSets are named by is computed over the
 * defaulted template, and a tap that is undone exactly must give back the template the server defaulted.
 */

import type { KubeObject, ResourceType } from "./contract.ts";

type Obj = Record<string, any>;

function setIfMissing(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** `nginx`, `nginx:latest` → Always; `nginx:1.27` or a digest → IfNotPresent (SetDefaults_Container). */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return "IfNotPresent";
  if (image.includes("@")) return "IfNotPresent";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  const tag = colon === -1 ? "" : image.slice(colon + 1);
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(p: Obj | undefined): void {
  if (!p || typeof p !== "object") return;
  setIfMissing(p, "timeoutSeconds", 1);
  setIfMissing(p, "periodSeconds", 10);
  setIfMissing(p, "successThreshold", 1);
  setIfMissing(p, "failureThreshold", 3);
  if (p.httpGet) setIfMissing(p.httpGet, "scheme", "HTTP");
}

function defaultContainer(c: Obj): void {
  if (!c || typeof c !== "object") return;
  setIfMissing(c, "terminationMessagePath", "/dev/termination-log");
  setIfMissing(c, "terminationMessagePolicy", "File");
  setIfMissing(c, "imagePullPolicy", defaultPullPolicy(c.image));
  setIfMissing(c, "resources", {});
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (p && typeof p === "object") setIfMissing(p, "protocol", "TCP");
  for (const e of Array.isArray(c.env) ? c.env : []) {
    const f = e?.valueFrom?.fieldRef;
    if (f && typeof f === "object") setIfMissing(f, "apiVersion", "v1");
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Obj): void {
  if (!v || typeof v !== "object") return;
  for (const key of ["configMap", "secret", "projected", "downwardAPI"]) if (v[key] && typeof v[key] === "object") setIfMissing(v[key], "defaultMode", 420);
  if (v.hostPath && typeof v.hostPath === "object") setIfMissing(v.hostPath, "type", "");
  if (v.downwardAPI?.items) for (const i of v.downwardAPI.items) if (i?.fieldRef) setIfMissing(i.fieldRef, "apiVersion", "v1");
}

/** SetDefaults_PodSpec: what a pod template gets (and a pod, before the pod-only defaults). */
export function defaultPodSpec(spec: Obj | undefined): void {
  if (!spec || typeof spec !== "object") return;
  setIfMissing(spec, "dnsPolicy", "ClusterFirst");
  setIfMissing(spec, "restartPolicy", "Always");
  setIfMissing(spec, "terminationGracePeriodSeconds", 30);
  setIfMissing(spec, "securityContext", {});
  setIfMissing(spec, "schedulerName", "default-scheduler");
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(c);
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(c);
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) defaultVolume(v);
}

function defaultTemplate(spec: Obj | undefined): void {
  const t = spec?.template;
  if (!t || typeof t !== "object") return;
  // A template's metadata is serialized with `creationTimestamp: null` by the real server (a zero metav1.Time).
  if (!t.metadata || typeof t.metadata !== "object") t.metadata = {};
  if (!("creationTimestamp" in t.metadata)) t.metadata.creationTimestamp = null;
  defaultPodSpec(t.spec);
}

/** The pod-only defaults (SetDefaults_Pod and the default admission plugins: ServiceAccount, Priority, DefaultTolerationSeconds). */
function defaultPod(pod: Obj): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== "object") return;
  defaultPodSpec(spec);
  setIfMissing(spec, "enableServiceLinks", true);
  setIfMissing(spec, "serviceAccountName", spec.serviceAccount ?? "default");
  setIfMissing(spec, "serviceAccount", spec.serviceAccountName);
  setIfMissing(spec, "priority", 0);
  setIfMissing(spec, "preemptionPolicy", "PreemptLowerPriority");
  const tolerations: Obj[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tolerations.some((t) => t?.key === key && (t.effect === "NoExecute" || !t.effect))) {
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
}

function defaultService(svc: Obj, allocateIP: () => string, allocateNodePort: () => number): void {
  const spec = (svc.spec ??= {});
  setIfMissing(spec, "type", "ClusterIP");
  setIfMissing(spec, "sessionAffinity", "None");
  if (spec.type !== "ExternalName") {
    if (spec.clusterIP === undefined || spec.clusterIP === "") spec.clusterIP = allocateIP();
    setIfMissing(spec, "clusterIPs", [spec.clusterIP]);
    setIfMissing(spec, "ipFamilies", ["IPv4"]);
    setIfMissing(spec, "ipFamilyPolicy", "SingleStack");
    setIfMissing(spec, "internalTrafficPolicy", "Cluster");
  }
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") setIfMissing(spec, "externalTrafficPolicy", "Cluster");
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!p || typeof p !== "object") continue;
    setIfMissing(p, "protocol", "TCP");
    setIfMissing(p, "targetPort", p.port);
    if ((spec.type === "NodePort" || spec.type === "LoadBalancer") && !p.nodePort) p.nodePort = allocateNodePort();
  }
}

export interface DefaultingContext {
  allocateClusterIP(): string;
  allocateNodePort(): number;
}

/** Applies the defaults for `type` to `obj` in place. Runs on create and on every update, as the real server does. */
export function applyDefaults(type: ResourceType, obj: KubeObject, ctx: DefaultingContext, creating = false): void {
  const o = obj as Obj;
  const spec = o.spec;
  switch (`${type.group}/${type.resource}`) {
    case "apps/deployments": {
      if (!spec || typeof spec !== "object") break;
      setIfMissing(spec, "replicas", 1);
      const strategy = (spec.strategy ??= {});
      setIfMissing(strategy, "type", "RollingUpdate");
      if (strategy.type === "RollingUpdate") {
        const ru = (strategy.rollingUpdate ??= {});
        setIfMissing(ru, "maxUnavailable", "25%");
        setIfMissing(ru, "maxSurge", "25%");
      }
      setIfMissing(spec, "revisionHistoryLimit", 10);
      setIfMissing(spec, "progressDeadlineSeconds", 600);
      defaultTemplate(spec);
      break;
    }
    case "apps/replicasets":
      if (!spec || typeof spec !== "object") break;
      setIfMissing(spec, "replicas", 1);
      defaultTemplate(spec);
      break;
    case "apps/statefulsets": {
      if (!spec || typeof spec !== "object") break;
      setIfMissing(spec, "replicas", 1);
      setIfMissing(spec, "podManagementPolicy", "OrderedReady");
      const us = (spec.updateStrategy ??= {});
      setIfMissing(us, "type", "RollingUpdate");
      if (us.type === "RollingUpdate") setIfMissing((us.rollingUpdate ??= {}), "partition", 0);
      setIfMissing(spec, "revisionHistoryLimit", 10);
      setIfMissing(spec, "persistentVolumeClaimRetentionPolicy", { whenDeleted: "Retain", whenScaled: "Retain" });
      defaultTemplate(spec);
      break;
    }
    case "apps/daemonsets": {
      if (!spec || typeof spec !== "object") break;
      const us = (spec.updateStrategy ??= {});
      setIfMissing(us, "type", "RollingUpdate");
      if (us.type === "RollingUpdate") {
        const ru = (us.rollingUpdate ??= {});
        setIfMissing(ru, "maxUnavailable", 1);
        setIfMissing(ru, "maxSurge", 0);
      }
      setIfMissing(spec, "revisionHistoryLimit", 10);
      defaultTemplate(spec);
      break;
    }
    case "/pods":
      defaultPod(o);
      break;
    case "/services":
      defaultService(o, ctx.allocateClusterIP, ctx.allocateNodePort);
      break;
    case "/namespaces": {
      o.spec ??= {};
      // PrepareForCreate, not a defaulter: once the namespace controller cleared them they stay cleared.
      if (creating) setIfMissing(o.spec, "finalizers", ["kubernetes"]);
      o.status ??= {};
      setIfMissing(o.status, "phase", "Active");
      // The NamespaceDefaultLabelName feature (GA 1.22): every namespace carries its own name as a label.
      o.metadata.labels = { ...(o.metadata.labels ?? {}), "kubernetes.io/metadata.name": o.metadata.name };
      break;
    }
    case "/secrets": {
      setIfMissing(o, "type", "Opaque");
      // stringData is write-only: merged into data (base64) and never stored.
      if (o.stringData && typeof o.stringData === "object") {
        o.data = { ...(o.data ?? {}) };
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString("base64");
        delete o.stringData;
      }
      break;
    }
    case "rbac.authorization.k8s.io/rolebindings":
    case "rbac.authorization.k8s.io/clusterrolebindings":
      for (const s of Array.isArray(o.subjects) ? o.subjects : []) {
        if (s && (s.kind === "User" || s.kind === "Group")) setIfMissing(s, "apiGroup", "rbac.authorization.k8s.io");
        if (s && s.kind === "ServiceAccount") setIfMissing(s, "apiGroup", "");
      }
      break;
  }
}

/**
 * What a create does to status (each strategy's PrepareForCreate): workloads start with an empty status, a pod is
 * Pending with its QoS class, a service has an empty load balancer. Nodes keep theirs (the kubelet registers them
 * with a status).
 */
export function resetStatusOnCreate(type: ResourceType, obj: KubeObject): void {
  const o = obj as Obj;
  switch (`${type.group}/${type.resource}`) {
    case "apps/deployments":
    case "apps/replicasets":
    case "apps/statefulsets":
    case "apps/daemonsets":
      // The non-omitempty counters each status type serializes even when zero.
      o.status = type.resource === "replicasets" ? { replicas: 0 } : type.resource === "statefulsets" ? { availableReplicas: 0, replicas: 0 } : {};
      if (type.resource === "daemonsets") o.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
      break;
    case "/pods":
      o.status = { phase: "Pending", qosClass: podQosClass(o.spec) };
      break;
    case "/services":
      o.status = { loadBalancer: {} };
      break;
    case "/resourcequotas":
    case "/persistentvolumeclaims":
      o.status = {};
      break;
  }
}

/** The pod's QoS class (pkg/apis/core/helper/qos): Guaranteed when every container has equal requests and limits. */
export function podQosClass(spec: Obj | undefined): string {
  const containers: Obj[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
