/** One RBAC attribute a command needs: what `check` probes with SelfSubjectAccessReview and the docs print as a Role. */
export interface Permission {
  verb: string;
  /** "" for the core group. */
  group: string;
  /** With the subresource: "pods/log", "services/proxy". */
  resource: string;
  /** Cluster-scoped (nodes, namespaces): asked without a namespace, granted only by a ClusterRole. */
  cluster?: boolean;
  /** Only needed with this flag or case (`--forwarder fluent-bit`); absent = always. */
  when?: string;
}
