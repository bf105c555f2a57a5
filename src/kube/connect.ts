/**
 * The cluster access layer's entry point: `connectCluster` loads the kubeconfig (or the pod's service account),
 * picks the context and namespace, and returns a Cluster whose every call goes through one transport — TLS
 * material and credentials applied, bounded by the timeout, errors as one-line KubeErrors. Nothing is sent until
 * a call is made. client-node (typed APIs, KubeConfig) is loaded only when asked for.
 */

import { Credentials } from "./auth/credentials.ts";
import { loadClusterConfig, type ClusterConfig, type LoadOptions } from "./kubeconfig/load.ts";
import { openPodLog, type PodLogParams, type PodLogStream } from "./streams/pod-log.ts";
import { openWatch, type KubeObject, type WatchEvent, type WatchParams } from "./streams/watch.ts";
import { KubeTransport, type KubeRequest, type OpenResponse } from "./transport/transport.ts";
import { tlsMaterial } from "./transport/tls-material.ts";
import { patchObject, type JsonPatchOp, type PatchType, type WriteOptions } from "./writes/patch.ts";
import { readModifyWrite, type ReadModifyWriteOptions, type ReadModifyWriteResult } from "./writes/read-modify-write.ts";
import type { KubeConfig } from "@kubernetes/client-node";
import type { TypedApis } from "./typed-apis.ts";

/** Upstream's default --timeout (§1.3): a command uses it when neither the flag, the config nor LOGTAP_TIMEOUT set one. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ConnectOptions extends LoadOptions {
  /**
   * Bounds every request until its answer is read (for streams: until the stream starts), and exec plugins.
   * 0 = no limit (kubectl's --request-timeout=0).
   */
  timeoutMs: number;
  /** Aborts every request of this connection: Ctrl+C, or a command-wide deadline (AbortSignal.timeout). */
  signal?: AbortSignal;
  userAgent?: string;
  /** stderr of an exec plugin that succeeded (device-code prompts, warnings); dropped when absent. */
  onExecStderr?: (text: string) => void;
}

/** `GET /version`. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
  [k: string]: unknown;
}

export interface Cluster {
  /** The kubeconfig context (or "in-cluster"). */
  readonly context: string;
  /** -n, else the context's namespace, else "default". */
  readonly namespace: string;
  readonly server: string;
  /** The kubeconfig user's name ("" for none). */
  readonly user: string;
  /** The kubeconfig files, or "in-cluster service account". */
  readonly source: string;
  readonly timeoutMs: number;
  readonly config: ClusterConfig;
  /** Any API request, answered as JSON: raw objects keep every field (use this for what is written back). */
  request<T = unknown>(req: KubeRequest): Promise<T>;
  serverVersion(signal?: AbortSignal): Promise<ServerVersion>;
  /**
   * Any request, its answer unread: the timeout bounds only the wait for the headers, the body is the caller's to
   * stream (services/proxy downloads). With `anyStatus` error answers are handed back too.
   */
  open(req: KubeRequest): Promise<OpenResponse>;
  /** Opens a watch of a list path; see streams/watch.ts. */
  watch<T = KubeObject>(path: string, params?: WatchParams, signal?: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
  /** Opens a pod's log stream; see streams/pod-log.ts. */
  podLog(namespace: string, pod: string, params?: PodLogParams, signal?: AbortSignal): Promise<PodLogStream>;
  patch<T = KubeObject>(path: string, type: PatchType, patch: Record<string, unknown> | JsonPatchOp[], opts?: WriteOptions & { resourceVersion?: string }): Promise<T>;
  readModifyWrite<T extends KubeObject>(
    path: string,
    change: (current: T, attempt: number) => T | undefined | Promise<T | undefined>,
    opts?: ReadModifyWriteOptions,
  ): Promise<ReadModifyWriteResult<T>>;
  /** client-node's typed clients (CoreV1Api, AppsV1Api, …) over the same transport, plus per-call options. */
  api(): Promise<TypedApis & { options: typeof import("./typed-apis.ts").callOptions }>;
  /** The context as a client-node KubeConfig, for its WebSocket features (port-forward, exec). */
  clientNodeConfig(): Promise<KubeConfig>;
}

export function connectCluster(opts: ConnectOptions): Cluster {
  const config = loadClusterConfig(opts);
  const tls = tlsMaterial(config.cluster, config.user);
  const credentials = new Credentials(config.user, config.cluster, { caPem: tls.ca, timeoutMs: opts.timeoutMs, onStderr: opts.onExecStderr, env: opts.env });
  const transport = new KubeTransport({
    server: config.cluster.server,
    tls,
    proxy: config.cluster.proxyUrl,
    credentials,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    userAgent: opts.userAgent ?? "logtap",
    user: config.user.name,
  });
  let apis: Promise<TypedApis & { options: typeof import("./typed-apis.ts").callOptions }> | undefined;
  return {
    context: config.context,
    namespace: config.namespace,
    server: transport.server,
    user: config.user.name,
    source: config.source,
    timeoutMs: opts.timeoutMs,
    config,
    request: (req) => transport.json(req),
    serverVersion: (signal) => transport.json<ServerVersion>({ path: "/version", signal }),
    open: (req) => transport.open(req),
    watch: (path, params, signal) => openWatch(transport, path, params, signal),
    podLog: (ns, pod, params, signal) => openPodLog(transport, ns, pod, params, signal),
    patch: (path, type, patch, o) => patchObject(transport, path, type, patch, o),
    readModifyWrite: (path, change, o) => readModifyWrite(transport, path, change, o),
    api: () => (apis ??= import("./typed-apis.ts").then((m) => ({ ...m.typedApis(transport), options: m.callOptions }))),
    clientNodeConfig: () => import("./client-node-config.ts").then((m) => m.toClientNodeConfig(config)),
  };
}
