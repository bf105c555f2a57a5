/**
 * Test support: the stand-in's store with the controllers, the kubelet and the store side's garbage collector
 * attached in process (no HTTP), sharing one fast clock, plus small helpers the controller and kubelet tests share.
 */

import type { KubeObject, ResourceType, StandInContext } from "../../contract.ts";
import { GarbageCollector } from "../../garbage-collector.ts";
import { MemoryStore } from "../../store.ts";
import { Kubelet, type KubeletOptions } from "../../kubelet/kubelet.ts";
import { ClusterClock } from "../cluster-clock.ts";
import { startControllers } from "../controller-manager.ts";
import { waitFor } from "../../../support/wait-for.ts";

export interface InProcessCluster {
  store: MemoryStore;
  clock: ClusterClock;
  kubelet: Kubelet;
  /** Errors controllers reported (and retried). */
  errors: { controller: string; key: string; error: unknown }[];
  type(resource: "pods" | "nodes" | "deployments" | "replicasets" | "statefulsets" | "daemonsets" | "controllerrevisions" | "namespaces"): ResourceType;
  create(obj: KubeObject): KubeObject;
  get(resource: string, name: string, namespace?: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  /** Read-modify-write of an object's spec (as `kubectl edit` / a patch would). */
  edit(resource: string, name: string, change: (o: KubeObject) => void): KubeObject;
  waitFor(what: string, predicate: () => boolean, deadlineMs?: number): Promise<void>;
  stop(): void;
}

const GROUP: Record<string, string> = { deployments: "apps", replicasets: "apps", statefulsets: "apps", daemonsets: "apps", controllerrevisions: "apps" };

export function inProcessCluster(opts: { timeScale?: number } & Omit<KubeletOptions, "clock" | "timeScale"> = {}): InProcessCluster {
  const store = new MemoryStore();
  store.create(store.mustType("", "namespaces"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const clock = new ClusterClock({ timeScale: opts.timeScale ?? 0.01 });
  const errors: InProcessCluster["errors"] = [];
  const gc = new GarbageCollector();
  gc.start({ store, server: { handleSubresource: () => () => {} }, version: "v1.31.0" } as StandInContext);
  const controllers = startControllers(store, { clock, onError: (controller, key, error) => errors.push({ controller, key, error }) });
  const kubelet = new Kubelet({ ...opts, clock });
  store.gracefulPodDeletion = true;
  kubelet.attach(store, "v1.31.0");
  const type = (resource: string) => store.mustType(GROUP[resource] ?? "", resource);
  return {
    store,
    clock,
    kubelet,
    errors,
    type: type as InProcessCluster["type"],
    create: (obj) => store.create(store.typeOf(obj.apiVersion, obj.kind)!, { ...obj, metadata: { namespace: "default", ...obj.metadata } }),
    get: (resource, name, namespace = "default") => store.get(type(resource), namespace, name),
    list: (resource, namespace = "default") => store.list(type(resource), namespace).items,
    edit(resource, name, change) {
      const o = store.get(type(resource), "default", name)!;
      change(o);
      return store.update(type(resource), o);
    },
    waitFor: (what, predicate, deadlineMs = 5000) => waitFor(predicate, deadlineMs, what),
    stop() {
      controllers.stop();
      kubelet.detach();
      gc.stop();
      clock.stop();
    },
  };
}

export function deployment(name: string, opts: { replicas?: number; image?: string; strategy?: any; progressDeadlineSeconds?: number; annotations?: Record<string, string>; containers?: any[] } = {}): KubeObject {
  const spec: any = {
    replicas: opts.replicas ?? 3,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, ...(opts.annotations ? { annotations: opts.annotations } : {}) }, spec: { containers: opts.containers ?? [{ name: "app", image: opts.image ?? "nginx:1.27" }] } },
  };
  if (opts.strategy) spec.strategy = opts.strategy;
  if (opts.progressDeadlineSeconds !== undefined) spec.progressDeadlineSeconds = opts.progressDeadlineSeconds;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "default" }, spec };
}

export function condition(o: KubeObject | undefined, type: string): any {
  return (o?.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** kubectl's rollout status verdict for a Deployment (rollout_status.go), to check the state kubectl would see. */
export function deploymentRolloutDone(d: KubeObject | undefined): boolean {
  if (!d) return false;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  if (condition(d, "Progressing")?.reason === "ProgressDeadlineExceeded") return false;
  const want = d.spec?.replicas ?? 1;
  return (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
}
