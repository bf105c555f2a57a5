/**
 * The stand-in's Node objects, registered as a kubelet registers its node: labels (hostname, os, arch), addresses,
 * capacity, a Ready condition and `status.nodeInfo` with the kubelet version — which tap reads to decide whether
 * native sidecars (1.29+) can be used. `setKubeletVersion` lets a test pretend a node runs an older kubelet.
 */

import type { KubeObject, ObjectStore } from "../contract.ts";
import { metaTime } from "../controllers/cluster-clock.ts";

export interface NodeSpec {
  name: string;
  /** Default: the server's version (StandInContext.version), e.g. "v1.31.0". */
  kubeletVersion?: string;
  labels?: Record<string, string>;
  /** spec.unschedulable (cordoned): ordinary pods are not scheduled there; daemon pods still are. */
  unschedulable?: boolean;
}

export const DEFAULT_NODES: NodeSpec[] = [{ name: "stand-in-node-1" }, { name: "stand-in-node-2" }];

export function nodeObject(spec: NodeSpec, index: number, defaultVersion: string): KubeObject {
  const now = metaTime();
  const version = spec.kubeletVersion ?? defaultVersion;
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: spec.name,
      labels: { "kubernetes.io/hostname": spec.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", ...(spec.labels ?? {}) },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`], ...(spec.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: { cpu: "4", "ephemeral-storage": "100Gi", memory: "16Gi", pods: "110" },
      allocatable: { cpu: "4", "ephemeral-storage": "100Gi", memory: "16Gi", pods: "110" },
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        { type: "InternalIP", address: `10.0.0.${10 + index}` },
        { type: "Hostname", address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `stand-in-machine-${index}`,
        systemUUID: `00000000-0000-0000-0000-${String(index).padStart(12, "0")}`,
        bootID: `stand-in-boot-${index}`,
        kernelVersion: "6.1.0-stand-in",
        osImage: "Stand-in Linux",
        containerRuntimeVersion: "stand-in://1.0.0",
        kubeletVersion: version,
        kubeProxyVersion: version,
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

/** Creates the nodes that do not exist yet (and gives them their status, for stores that reset it on create). */
export function registerNodes(store: ObjectStore, specs: NodeSpec[], defaultVersion: string): void {
  const type = store.resourceType("", "nodes")!;
  specs.forEach((spec, i) => {
    if (store.get(type, undefined, spec.name)) return;
    const node = nodeObject(spec, i + 1, defaultVersion);
    const created = store.create(type, node);
    if (JSON.stringify(created.status) !== JSON.stringify(node.status)) store.update(type, { ...created, status: node.status }, { subresource: "status" });
  });
}

/** Reports another kubelet version for a node (as after a node upgrade or downgrade). */
export function setKubeletVersion(store: ObjectStore, node: string, version: string): void {
  const type = store.resourceType("", "nodes")!;
  const n = store.get(type, undefined, node);
  if (!n) throw new Error(`no node ${node}`);
  n.status.nodeInfo = { ...n.status.nodeInfo, kubeletVersion: version, kubeProxyVersion: version };
  store.update(type, n, { subresource: "status" });
}

/** Native sidecars (init containers with restartPolicy Always) run as sidecars from kubelet 1.29 on (beta, on by default). */
export function supportsNativeSidecars(kubeletVersion: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(kubeletVersion ?? "");
  if (!m) return true;
  return Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 29);
}

export function nodeInternalIP(node: KubeObject | undefined): string | undefined {
  return node?.status?.addresses?.find((a: any) => a.type === "InternalIP")?.address;
}
