/**
 * A running stand-in cluster: the store, the HTTPS API server in front of it, its CA and identities, RBAC, faults,
 * and the attached components (the built-in garbage collector and namespace lifecycle, plus whatever a test or
 * main.ts attaches: controllers, the kubelet). One object to start and stop in a test:
 *
 *   const k = await startStandIn();
 *   const admin = k.kubeconfig();                               // system:masters
 *   const alice = k.kubeconfig({ user: "alice", groups: ["dev"] });
 *   k.rbac.setRules("alice", [{ verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
 *   ...
 *   await k.stop();
 */

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject, StandInComponent, StandInContext, SubresourceHandler } from "./contract.ts";
import { ApiServer, type RequestLogEntry } from "./api-server.ts";
import { Authenticator } from "./authn.ts";
import { CertificateAuthority, type KeyPair } from "./certs.ts";
import { controlApi } from "./control-api.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { kubeconfigText } from "./kubeconfig.ts";
import { NamespaceLifecycle } from "./namespace-lifecycle.ts";
import { Authorizer, type Subject, type TestRule } from "./rbac.ts";
import { MemoryStore } from "./store.ts";
import { ImageMap, type ImageMapping } from "./kubelet/program-images.ts";
import { notFound } from "./status-errors.ts";

export interface StandInOptions {
  /** /version's gitVersion; "v1.31.0" by default. */
  version?: string;
  /** Loopback port; a free one by default. */
  port?: number;
  /** Watch history kept for resourceVersion replays (older → 410). */
  historySize?: number;
  /** Interval of BOOKMARK events on watches that allow them; 5000 ms by default. */
  bookmarkIntervalMs?: number;
  /** Attached and started with the stand-in. */
  components?: StandInComponent[];
  /** Namespaces besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
}

export interface IdentityOptions {
  /** "admin" (in system:masters) by default. */
  user?: string;
  groups?: string[];
  /**
   * Authenticate with this bearer token instead of a client certificate: registered for user/groups when a user is
   * given; without a user it must be a token the stand-in knows already (a service account's, from
   * `kubectl create token` or a token Secret).
   */
  token?: string;
  namespace?: string;
  /** Where to write it; a file in the stand-in's directory by default. */
  path?: string;
}

const RBAC = "rbac.authorization.k8s.io";

export class StandIn {
  readonly store: MemoryStore;
  readonly authn: Authenticator;
  readonly rbac: Authorizer;
  readonly server: ApiServer;
  readonly ca: CertificateAuthority;
  readonly version: string;
  /** Images whose containers run local programs (kubelet/program-images.ts); see mapImage. */
  readonly images = new ImageMap();
  private components: StandInComponent[] = [];
  private started = false;
  private kubeconfigs = 0;

  constructor(o: StandInOptions = {}) {
    this.version = o.version ?? "v1.31.0";
    this.ca = CertificateAuthority.create();
    this.store = new MemoryStore({ historySize: o.historySize });
    this.authn = new Authenticator(this.store);
    this.rbac = new Authorizer(this.store);
    this.server = new ApiServer({
      store: this.store,
      authn: this.authn,
      authz: this.rbac,
      tls: { cert: this.ca.server.cert, key: this.ca.server.key, ca: this.ca.caCert },
      version: this.version,
      bookmarkIntervalMs: o.bookmarkIntervalMs,
    });
    this.server.control = controlApi(this);
    this.seed(o.namespaces ?? []);
    this.components.push(new GarbageCollector(), new NamespaceLifecycle(this.ca.caCert));
    for (const c of o.components ?? []) this.components.push(c);
  }

  get url(): string {
    return this.server.url;
  }

  get faults() {
    return this.server.faults;
  }

  /** The requests served so far (method, path, user, verb, resource, name, status code): the last 10,000. */
  get requests(): RequestLogEntry[] {
    return this.server.requests;
  }

  /** A mark for `requestsSince`: the sequence number of the last request served (0: none yet). */
  get lastRequest(): number {
    return this.server.requests.at(-1)?.seq ?? 0;
  }

  /**
   * The requests served after the mark. By sequence number, not index: once the log is full its oldest entries are
   * dropped, and an index taken before would then point later (tests sharing a stand-in fill it).
   */
  requestsSince(mark: number): RequestLogEntry[] {
    return this.server.requests.filter((r) => r.seq > mark);
  }

  get context(): StandInContext {
    return {
      store: this.store,
      server: this.server,
      version: this.version,
      cluster: {
        caCert: this.ca.caCert,
        apiAddress: () => this.listening.then(() => ({ host: "127.0.0.1", port: this.server.transport.port })),
        issueServiceAccountToken: (namespace, name) => {
          const type = this.store.mustType("", "serviceaccounts");
          const sa = this.store.get(type, namespace, name);
          if (!sa) throw notFound(type, name);
          // What the kubelet asks for a projected token: an hour (+7 s), the API server's audience.
          return this.authn.issueServiceAccountToken(namespace, name, sa.metadata.uid!, 3607, ["https://kubernetes.default.svc.cluster.local"]).token;
        },
        images: this.images,
      },
    };
  }

  #listened!: () => void;
  /** Resolves once the API server listens (components start before it does, and pods may be waiting for it). */
  private readonly listening = new Promise<void>((resolve) => (this.#listened = resolve));

  async start(port = 0): Promise<this> {
    for (const c of this.components) await c.start(this.context);
    this.started = true;
    await this.server.listen(port);
    this.#listened();
    return this;
  }

  /**
   * Containers whose image matches `pattern` (`*` matches anything) run a local program from now on, with the pod's
   * environment, service-account files and loopback IP (kubelet/program-images.ts; docs/testing.md "Pods that run
   * programs"). Needs the kubelet attached.
   */
  mapImage(pattern: string, mapping: ImageMapping): void {
    this.images.map(pattern, mapping);
  }

  unmapImage(pattern: string): boolean {
    return this.images.unmap(pattern);
  }

  /** Attaches a component; started at once when the stand-in is running. */
  async attach(component: StandInComponent): Promise<void> {
    this.components.push(component);
    if (this.started) await component.start(this.context);
  }

  async stop(): Promise<void> {
    await this.server.close();
    for (const c of [...this.components].reverse()) {
      try {
        await c.stop();
      } catch (e) {
        console.error(`stand-in: stopping ${c.name} failed:`, e);
      }
    }
    this.started = false;
    // The CA's directory also holds the kubeconfigs written without a path: they name a server that is gone.
    rmSync(this.ca.dir, { recursive: true, force: true });
  }

  handleSubresource(group: string, resource: string, subresource: string, handler: SubresourceHandler): () => void {
    return this.server.handleSubresource(group, resource, subresource, handler);
  }

  /** A client certificate for an identity (CN = user, O = groups). */
  clientCertificate(user: string, groups: string[] = []): KeyPair {
    return this.ca.issueClient(user, groups);
  }

  /** A bearer token for an identity (like kube-apiserver's static token file). */
  addToken(token: string, user: string, groups: string[] = []): void {
    this.authn.addToken(token, { name: user, groups });
  }

  /** Replaces the test's RBAC rules of a subject (a user name, { group }, or { serviceAccount }). */
  setRules(subject: Subject, rules: TestRule[]): void {
    this.rbac.setRules(subject, rules);
  }

  /** services/proxy for this service (optionally only this port: "8080", "http", "https:443") forwards to `url`. */
  setServiceTarget(namespace: string, name: string, url: string | undefined, port?: string): void {
    const k = port === undefined ? `${namespace}/${name}` : `${namespace}/${name}:${port}`;
    if (url === undefined) this.server.serviceTargets.delete(k);
    else this.server.serviceTargets.set(k, url);
  }

  /** Kubeconfig text for an identity: by default the admin (user "admin" in system:masters) with a client certificate. */
  kubeconfigText(o: IdentityOptions = {}): string {
    const user = o.user ?? "admin";
    const groups = o.groups ?? (o.user === undefined ? ["system:masters"] : []);
    if (o.token) {
      // With a user the token is registered for it; without, it is a token the server issued (a service account's).
      if (o.user !== undefined) this.addToken(o.token, user, groups);
      return kubeconfigText({ server: this.url, caCert: this.ca.caCert, userName: o.user ?? "token", token: o.token, namespace: o.namespace });
    }
    const pair = this.clientCertificate(user, groups);
    return kubeconfigText({ server: this.url, caCert: this.ca.caCert, userName: user, cert: pair.cert, key: pair.key, namespace: o.namespace });
  }

  /** Writes a kubeconfig for an identity and returns its path. */
  kubeconfig(o: IdentityOptions = {}): string {
    const path = o.path ?? join(this.ca.dir, `kubeconfig-${++this.kubeconfigs}-${(o.user ?? "admin").replace(/[^A-Za-z0-9_.-]/g, "_")}.yaml`);
    writeFileSync(path, this.kubeconfigText(o), { mode: 0o600 });
    return path;
  }

  /**
   * A raw HTTPS request to the stand-in as an identity (default: the admin), over mutual TLS with a client
   * certificate, or with a bearer token, or with no credentials at all (`anonymous: true`).
   */
  async fetch(path: string, init: RequestInit & { user?: string; groups?: string[]; token?: string; anonymous?: boolean } = {}): Promise<Response> {
    const { user, groups, token, anonymous, ...rest } = init;
    const tls: Record<string, unknown> = { ca: this.ca.caCert };
    const headers = new Headers(rest.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    else if (!anonymous) {
      const key = `${user ?? "admin"}\0${(groups ?? (user === undefined ? ["system:masters"] : [])).join(",")}`;
      let pair = this.fetchCerts.get(key);
      if (!pair) this.fetchCerts.set(key, (pair = this.clientCertificate(user ?? "admin", groups ?? (user === undefined ? ["system:masters"] : []))));
      tls.cert = pair.cert;
      tls.key = pair.key;
    }
    return fetch(`${this.url}${path}`, { ...rest, headers, tls } as RequestInit);
  }

  private fetchCerts = new Map<string, KeyPair>();

  /** What a fresh kubeadm cluster has: the four namespaces, the kubernetes Service, cluster-admin for system:masters. */
  private seed(extra: string[]): void {
    const s = this.store;
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease", ...extra]) {
      s.create(s.mustType("", "namespaces"), { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
    s.create(s.mustType("", "services"), {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] },
    } as KubeObject);
    const bootstrap = { "kubernetes.io/bootstrapping": "rbac-defaults" };
    const annotations = { "rbac.authorization.kubernetes.io/autoupdate": "true" };
    s.create(s.mustType(RBAC, "clusterroles"), {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "cluster-admin", labels: bootstrap, annotations },
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
      ],
    } as KubeObject);
    s.create(s.mustType(RBAC, "clusterrolebindings"), {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: "cluster-admin", labels: bootstrap, annotations },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ apiGroup: RBAC, kind: "Group", name: "system:masters" }],
    } as KubeObject);
    const read = ["get", "list", "watch"];
    const viewResources = [
      { apiGroups: [""], resources: ["pods", "pods/log", "pods/status", "services", "services/status", "configmaps", "endpoints", "events", "namespaces", "namespaces/status", "resourcequotas", "resourcequotas/status", "limitranges", "persistentvolumeclaims", "serviceaccounts"], verbs: read },
      { apiGroups: ["apps"], resources: ["deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets", "daemonsets/status", "controllerrevisions"], verbs: read },
    ];
    s.create(s.mustType(RBAC, "clusterroles"), { apiVersion: `${RBAC}/v1`, kind: "ClusterRole", metadata: { name: "view", labels: bootstrap, annotations }, rules: viewResources } as KubeObject);
    const write = ["create", "delete", "deletecollection", "patch", "update"];
    s.create(s.mustType(RBAC, "clusterroles"), {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "edit", labels: bootstrap, annotations },
      rules: [
        ...viewResources,
        { apiGroups: [""], resources: ["pods", "services", "services/proxy", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims", "pods/eviction"], verbs: write },
        { apiGroups: [""], resources: ["secrets"], verbs: read },
        { apiGroups: ["apps"], resources: ["deployments", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale", "daemonsets"], verbs: write },
      ],
    } as KubeObject);
  }
}

/** Starts a stand-in on a free loopback port (or `o.port`) with its components running. */
export async function startStandIn(o: StandInOptions = {}): Promise<StandIn> {
  const k = new StandIn(o);
  return k.start(o.port ?? 0);
}
