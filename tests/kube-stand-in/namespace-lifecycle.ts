/**
 * The per-namespace controllers every cluster runs (kube-controller-manager's namespace, serviceaccount,
 * root-ca-cert-publisher and token controllers): each namespace gets a `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap; a deleted namespace stays Terminating until everything in it is deleted; a
 * `kubernetes.io/service-account-token` Secret gets its token, ca.crt and namespace filled in.
 */

import { randomBytes } from "node:crypto";
import type { KubeObject, ResourceType, StandInComponent, StandInContext, StandInStore, WatchEvent } from "./contract.ts";
import { isApiStatusError } from "./status-errors.ts";

export class NamespaceLifecycle implements StandInComponent {
  readonly name = "namespace-lifecycle";
  private store?: StandInStore;
  private unsubscribe?: () => void;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(private readonly caPem: string) {}

  start(ctx: StandInContext): void {
    this.store = ctx.store;
    this.stopped = false;
    this.unsubscribe = ctx.store.onChange((type, event) => this.handle(type, event));
    for (const ns of ctx.store.list(ctx.store.mustType("", "namespaces"), undefined).items) this.populate(ns.metadata.name!);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private handle(type: ResourceType, event: WatchEvent): void {
    const o = event.object;
    if (type.group !== "") return;
    if (type.resource === "namespaces") {
      if (event.type === "ADDED") this.populate(o.metadata.name!);
      else if (event.type === "MODIFIED" && o.metadata.deletionTimestamp) this.drain(o.metadata.name!);
    } else if (type.resource === "serviceaccounts" && event.type === "DELETED" && o.metadata.name === "default") {
      this.populate(o.metadata.namespace!);
    } else if (type.resource === "configmaps" && event.type === "DELETED" && o.metadata.name === "kube-root-ca.crt") {
      this.populate(o.metadata.namespace!);
    } else if (type.resource === "secrets" && event.type !== "DELETED" && o.type === "kubernetes.io/service-account-token" && !(o as any).data?.token) {
      this.fillToken(o);
    }
  }

  private liveNamespace(name: string): KubeObject | undefined {
    const ns = this.store!.get(this.store!.mustType("", "namespaces"), undefined, name);
    return ns && !ns.metadata.deletionTimestamp ? ns : undefined;
  }

  private populate(namespace: string): void {
    const store = this.store!;
    if (!this.liveNamespace(namespace)) return;
    const sa = store.mustType("", "serviceaccounts");
    const cm = store.mustType("", "configmaps");
    tolerate(() => {
      if (!store.get(sa, namespace, "default")) store.create(sa, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } });
    });
    tolerate(() => {
      if (!store.get(cm, namespace, "kube-root-ca.crt")) {
        store.create(cm, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "kube-root-ca.crt", namespace, annotations: { "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." } },
          data: { "ca.crt": this.caPem },
        });
      }
    });
  }

  /** Deletes what is in a Terminating namespace, then removes the namespace's finalizer; retries while pods linger. */
  private drain(namespace: string): void {
    const store = this.store!;
    if (this.stopped) return;
    const contents = store.contentsOf(namespace);
    for (const { type, object } of contents) {
      if (object.metadata.deletionTimestamp) continue;
      tolerate(() => store.delete(type, namespace, object.metadata.name!, { propagationPolicy: "Background" }));
    }
    if (store.contentsOf(namespace).length > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.drain(namespace);
      }, 50);
      this.timers.add(t);
      return;
    }
    tolerate(() => {
      const nsType = store.mustType("", "namespaces");
      const ns = store.get(nsType, undefined, namespace);
      if (!ns || !ns.spec?.finalizers?.length) return;
      ns.spec.finalizers = [];
      store.update(nsType, ns);
    });
  }

  private fillToken(secret: KubeObject): void {
    const store = this.store!;
    const saName = secret.metadata.annotations?.["kubernetes.io/service-account.name"];
    if (!saName) return;
    const sa = store.get(store.mustType("", "serviceaccounts"), secret.metadata.namespace, saName);
    if (!sa) return;
    tolerate(() => {
      const s = structuredClone(secret) as KubeObject & { data?: Record<string, string> };
      const b64 = (t: string) => Buffer.from(t).toString("base64");
      s.data = { ...(s.data ?? {}), token: b64(`sa-${randomBytes(24).toString("hex")}`), "ca.crt": b64(this.caPem), namespace: b64(secret.metadata.namespace!) };
      s.metadata.annotations = { ...(s.metadata.annotations ?? {}), "kubernetes.io/service-account.uid": sa.metadata.uid! };
      store.update(store.mustType("", "secrets"), s);
    });
  }
}

function tolerate(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (isApiStatusError(e) && [404, 409, 403].includes(e.code)) return;
    throw e;
  }
}
