/** The fields of a Pod the follower reads (the API's JSON; everything else is ignored). */

export interface OwnerReference {
  kind: string;
  name: string;
  controller?: boolean;
}

export interface ContainerStateJson {
  running?: { startedAt?: string };
  terminated?: { containerID?: string; finishedAt?: string; exitCode?: number };
  waiting?: { reason?: string };
}

export interface ContainerStatusJson {
  name: string;
  containerID?: string;
  restartCount?: number;
  state?: ContainerStateJson;
  lastState?: ContainerStateJson;
}

export interface Pod {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    deletionTimestamp?: string;
  };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { containerStatuses?: ContainerStatusJson[]; initContainerStatuses?: ContainerStatusJson[]; ephemeralContainerStatuses?: ContainerStatusJson[] };
}

export interface PodList {
  metadata?: { resourceVersion?: string };
  items?: Pod[];
}

/** `/api/v1/namespaces/<ns>/pods`, or every namespace's (`namespace` null). */
export function podsPath(namespace: string | null): string {
  return namespace === null ? "/api/v1/pods" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}
