/**
 * The contract between the stand-in cluster's parts, written before them so they can be built side by side:
 * the API server (HTTP, TLS, authentication, RBAC, discovery, REST verbs, watch) owns the object store; the pure
 * modules (patches, selectors) know nothing of either; the controllers and the kubelet simulation (rollouts, pods,
 * container logs) act on the store as the system identity, never through HTTP.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** Any API object as JSON: the store keeps and returns plain JSON, deep-copied in and out. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** One served resource, as discovery lists it. */
export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural, as in the URL: "deployments". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Subresource names served under this resource: "status", "log", "proxy", "scale". */
  subresources: string[];
  /** (Added by the API server part.) The store bumps `metadata.generation` on spec changes (apps/v1 workloads). */
  tracksGeneration?: boolean;
  /** (Added.) Discovery categories: "all" makes `kubectl get all` include the resource. */
  categories?: string[];
  /** (Added.) Created and answered by the server, never stored (SelfSubjectAccessReview, TokenReview). */
  virtual?: boolean;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/**
 * An API error as the real API server reports it; `toStatus()` is the exact `kind: Status` body
 * (apimachinery pkg/api/errors). Thrown by the store and by handlers; the server turns it into the response.
 */
export interface ApiStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  toStatus(): KubeObject;
}

/**
 * The object store: one resourceVersion counter for every write, generation bumped on spec changes only, a write
 * that changes nothing keeps the resourceVersion and sends no event. Every method copies: callers never share
 * objects with the store.
 */
export interface ObjectStore {
  /** The current value of the global resourceVersion counter. */
  readonly resourceVersion: string;
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  list(type: ResourceType, namespace: string | undefined): { items: KubeObject[]; resourceVersion: string };
  /** 409 AlreadyExists; 404 `namespaces "x" not found` for a namespaced object in a missing namespace. */
  create(type: ResourceType, object: KubeObject): KubeObject;
  /**
   * Replaces the object (or only its status for `subresource: "status"`). A `metadata.resourceVersion` in the body
   * is a precondition: stale → 409 Conflict with the real message. 404 when missing.
   */
  update(type: ResourceType, object: KubeObject, opts?: { subresource?: "status" }): KubeObject;
  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject;
  /**
   * Events after `sinceResourceVersion` (or ADDED for every existing object when undefined), then live ones.
   * Throws a 410 Expired ApiStatusError when `sinceResourceVersion` is older than the kept history.
   * Returns the function that stops the watch.
   */
  watch(
    type: ResourceType,
    namespace: string | undefined,
    sinceResourceVersion: string | undefined,
    listener: (event: WatchEvent) => void,
  ): () => void;
  /** Every change to every resource, for the controllers (after the write, in write order). */
  onChange(listener: (type: ResourceType, event: WatchEvent) => void): () => void;
  /** The resource table (what discovery serves). */
  resourceType(group: string, resource: string): ResourceType | undefined;
}

/** A handler for a subresource the server itself does not implement (`pods/log`), registered by the kubelet part. */
export type SubresourceHandler = (
  request: Request,
  object: KubeObject,
  params: URLSearchParams,
  /** (Added) where the request came from; see SubresourceRequestInfo below. */
  info: SubresourceRequestInfo,
) => Promise<Response> | Response;

// ——— Added by the API server part (engineer A). Nothing above changed signature; the write methods take optional
// trailing options, so code written against the original signatures still compiles. ———

/**
 * Where a subresource request came from: the handler also gets the path after the subresource (services/proxy
 * forwards it) and the authenticated identity. Handlers throw an ApiStatusError (status-errors.ts) to answer with a
 * Status; anything else thrown is a 500.
 */
export interface SubresourceRequestInfo {
  namespace: string | undefined;
  name: string;
  subresource: string;
  /** The rest of the path after `/<subresource>`, e.g. "/metrics" for `.../services/web:8080/proxy/metrics`; "" when none. */
  rest: string;
  /** For services/proxy and pods/proxy: the text after the name's colon (`web:8080` → "8080", `https:web:443` → "https:443"). */
  port?: string;
  user: { name: string; groups: string[] };
}

/** Options every write takes: `?dryRun=All` runs defaulting, validation and conflict checks without storing. */
export interface WriteOptions {
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** DeleteOptions.preconditions: 409 Conflict when the stored uid or resourceVersion differs. */
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Background (the default) deletes now and the garbage collector deletes dependents after; Foreground and
   * Orphan mark the owner (finalizers foregroundDeletion / orphan) until the collector has dealt with them. */
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  /** Pods with `gracefulPodDeletion` on: 0 deletes at once, otherwise the pod is only marked. */
  gracePeriodSeconds?: number;
}

/** The store as the stand-in implements it (store.ts `MemoryStore`): the contract's ObjectStore plus what the
 * server's own components (garbage collector, namespace lifecycle, fault injection) and the controllers use. */
export interface StandInStore extends ObjectStore {
  create(type: ResourceType, object: KubeObject, opts?: WriteOptions): KubeObject;
  update(type: ResourceType, object: KubeObject, opts?: { subresource?: "status" } & WriteOptions): KubeObject;
  delete(type: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): KubeObject;
  /** resourceType that throws when the resource is not served. */
  mustType(group: string, resource: string): ResourceType;
  /** By apiVersion and kind, as ownerReferences name owners: typeOf("apps/v1", "ReplicaSet"). */
  typeOf(apiVersion: string, kind: string): ResourceType | undefined;
  /** Objects whose ownerReferences name this uid. */
  dependentsOf(uid: string): { type: ResourceType; object: KubeObject }[];
  findByUid(uid: string): { type: ResourceType; object: KubeObject } | undefined;
  /** Every stored object in a namespace, of every namespaced type. */
  contentsOf(namespace: string): { type: ResourceType; object: KubeObject }[];
  /** Drops the watch history (an etcd compaction): watches from an older resourceVersion get 410 Expired. */
  compact(): void;
  /**
   * Off by default: a pod delete removes the pod at once. A kubelet part that finishes deletions turns it on:
   * deleting a pod bound to a node (spec.nodeName) then only sets deletionTimestamp/deletionGracePeriodSeconds
   * (MODIFIED event), and the kubelet calls `delete(pods, ns, name, { gracePeriodSeconds: 0 })` once its containers
   * stopped (or a pod in phase Succeeded/Failed is deleted at once).
   */
  gracefulPodDeletion: boolean;
}

/** Registration of subresources the server itself does not serve (pods/log by the kubelet part). */
export interface SubresourceRegistry {
  /**
   * `handleSubresource("", "pods", "log", handler)`: the server authenticates, authorizes (verb from the HTTP
   * method: GET → get, POST → create, ...; resource "pods/log"), loads the object (404 when missing) and then calls
   * the handler. A later registration for the same subresource replaces the earlier one. Returns the unregister.
   * services/proxy has a built-in handler (a per-service target URL set through the control API); a registered
   * handler takes precedence over it.
   */
  handleSubresource(group: string, resource: string, subresource: string, handler: SubresourceHandler): () => void;
}

/** What a component attached to a StandIn gets. */
export interface StandInContext {
  store: StandInStore;
  server: SubresourceRegistry;
  /** The served /version gitVersion ("v1.31.0"); a kubelet may report it as its nodes' kubeletVersion. */
  version: string;
  /** (Added for pods that run programs, kubelet/program-*.ts.) What a pod needs to reach back to the stand-in. */
  cluster?: StandInClusterAccess;
}

/** What the StandIn offers a kubelet whose pods run local programs (stand-in.ts fills it in). */
export interface StandInClusterAccess {
  /** The CA (PEM) that signed the API server's certificate: a pod's `ca.crt`. */
  caCert: string;
  /** Resolves with the API server's loopback address once it listens (components start before it does). */
  apiAddress(): Promise<{ host: string; port: number }>;
  /** A bound token for a service account (a TokenRequest); throws `serviceaccounts "x" not found` without one. */
  issueServiceAccountToken(namespace: string, name: string): string;
  /** Image → local program mappings (kubelet/program-images.ts `ImageMap`), shared with `StandIn.mapImage`. */
  images: import("./kubelet/program-images.ts").ImageMap;
}

/**
 * A part of the stand-in cluster with a lifetime: controllers, the kubelet simulation. Attach with
 * `standIn.attach(component)` (started at once when the stand-in runs, stopped by `standIn.stop()`), or pass them
 * to `startStandIn({ components: [...] })`. `stop` must end timers and watches: tests start many stand-ins.
 *
 * main.ts (the CLI) attaches `createControllers()` from controllers/index.ts and `createKubelet()` from
 * kubelet/index.ts when those files exist (each returns a StandInComponent or an array of them).
 */
export interface StandInComponent {
  readonly name: string;
  start(ctx: StandInContext): void | Promise<void>;
  stop(): void | Promise<void>;
}

/*
 * Where things are (API server part):
 * - stand-in.ts: `startStandIn({ version?, port?, historySize?, bookmarkIntervalMs?, components?, namespaces? })` →
 *   StandIn { url, store, server, rbac, authn, faults, ca, requests, kubeconfig(), kubeconfigText(), fetch(),
 *   clientCertificate(), addToken(), setRules(), setServiceTarget(), handleSubresource(), attach(), stop(),
 *   mapImage(), unmapImage(), images }.
 * - Pods that run programs: kubelet/program-*.ts (ImageMap in program-images.ts), pod-sandbox.ts, pod-network.ts,
 *   probes.ts; services/proxy to pods: service-endpoints.ts.
 * - Identities: client certificates (CN = user, O = groups) or bearer tokens; `k.kubeconfig({ user, groups })`.
 * - RBAC: `k.setRules(subject, rules)` (rbac.ts TestRule: a PolicyRule plus optional `namespaces`), and the stored
 *   Role/ClusterRole/RoleBinding/ClusterRoleBinding objects.
 * - Faults: `k.faults` (faults.ts): conflictNextWrites, failNext, dropWatches, dropNextWatches, delayMs,
 *   setUnreachable/setReachable, clear; `k.store.compact()` for 410s. Over HTTP: /stand-in/ (control-api.ts).
 * - Errors: status-errors.ts (ApiStatusError and the constructors with the real messages).
 * - docs/testing.md describes all of it for people.
 */
