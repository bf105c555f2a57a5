/**
 * The kubelet simulation for every node of the stand-in: registers the nodes, schedules pods onto them, runs each
 * bound pod through a PodWorker (status, container lifecycle, scripted logs), finishes graceful deletions, and
 * serves container logs to the `pods/log` handler. Tests reach a container's output through `container()`.
 */

import type { KubeObject, ObjectStore, ResourceType, StandInClusterAccess, SubresourceHandler, WatchEvent } from "../contract.ts";
import { ClusterClock } from "../controllers/cluster-clock.ts";
import { metaTime } from "../controllers/cluster-clock.ts";
import { type ContainerControl, containerControl } from "./container-control.ts";
import { ContainerOutput } from "./container-output.ts";
import { DEFAULT_TIMING, type KubeletTiming } from "./kubelet-timing.ts";
import { DEFAULT_NODES, type NodeSpec, nodeInternalIP, registerNodes, supportsNativeSidecars } from "./nodes.ts";
import { podLogHandler } from "./pod-log-handler.ts";
import { PodWorker } from "./pod-worker.ts";
import { placePod } from "./scheduler.ts";
import { ImageMap, type ImageMapping } from "./program-images.ts";
import { ProgramRuntime } from "./program-runtime.ts";

export interface KubeletOptions {
  /** Share the controllers' clock, or give a timeScale for a clock of its own. */
  clock?: ClusterClock;
  timeScale?: number;
  /** Nodes to register (those missing are created). Default: two nodes; `[]` registers none. */
  nodes?: NodeSpec[];
  /** Cluster seconds per step; see KubeletTiming. */
  timing?: Partial<KubeletTiming>;
  /** Keep every printed line for `history()` (default true); a long benchmark may turn it off to bound memory. */
  keepHistory?: boolean;
  /**
   * Real milliseconds after a program (a container whose image is mapped) starts in which failed liveness and
   * startup probes do not kill it yet: a real process needs real time to start, whatever the timeScale. Default 5000.
   */
  programStartGraceMs?: number;
  /**
   * Put programs on the stand-in's pod network (pod-network.ts, an LD_PRELOAD shim built with the machine's C
   * compiler): wildcard binds on the pod's own IP, cluster DNS names, ClusterIPs to ready endpoints. Default true.
   */
  podNetwork?: boolean;
}

const sameType = (a: ResourceType, b: ResourceType) => a.group === b.group && a.resource === b.resource;

export class Kubelet {
  readonly clock: ClusterClock;
  readonly timing: KubeletTiming;
  readonly podLogHandler: SubresourceHandler;
  #store: ObjectStore | undefined;
  #pods!: ResourceType;
  #nodes!: ResourceType;
  #unsubscribe: (() => void) | undefined;
  readonly #workers = new Map<string, PodWorker>();
  /** pod uid → container → output; kept after the pod is gone, as the ground truth of what it printed. */
  readonly #outputs = new Map<string, Map<string, ContainerOutput>>();
  /** namespace/name → uid of the latest pod of that name. */
  readonly #latest = new Map<string, string>();
  readonly #scheduling = new Set<string>();
  readonly #ipCounters = new Map<string, number>();
  /** Image → program mappings: the StandIn's when attached to one (so `k.mapImage` works), else the kubelet's own. */
  #images = new ImageMap();
  #programs: ProgramRuntime | undefined;

  constructor(private readonly opts: KubeletOptions = {}) {
    this.clock = opts.clock ?? new ClusterClock({ timeScale: opts.timeScale });
    this.timing = { ...DEFAULT_TIMING, ...(opts.timing ?? {}) };
    this.podLogHandler = podLogHandler((uid, container, containerID) => this.#outputs.get(uid)?.get(container)?.instance(containerID));
  }

  /**
   * Starts acting on `store`: registers the nodes, then takes over every existing and future pod. `cluster` (the
   * StandIn's) gives pods that run programs their way back to the API server: token, CA, address, image mappings.
   */
  attach(store: ObjectStore, serverVersion = "v1.31.0", cluster?: StandInClusterAccess): void {
    this.#store = store;
    if (cluster) this.#images = cluster.images;
    this.#programs = new ProgramRuntime(store, this.#images, cluster, this.opts.programStartGraceMs, this.opts.podNetwork ?? true);
    this.#pods = store.resourceType("", "pods")!;
    this.#nodes = store.resourceType("", "nodes")!;
    registerNodes(store, this.opts.nodes ?? DEFAULT_NODES, serverVersion);
    this.#unsubscribe = store.onChange((type, event) => this.#handle(type, event));
    for (const pod of store.list(this.#pods, undefined).items) this.#handle(this.#pods, { type: "ADDED", object: pod });
  }

  /** Stops every pod worker; resolves once every program it started has exited and the pods' files are gone. */
  async detach(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const stops = [...this.#workers.values()].map((w) => w.stop());
    this.#workers.clear();
    if (!this.opts.clock) this.clock.stop();
    await Promise.all(stops);
    await this.#programs?.close();
  }

  /** Containers whose image matches `pattern` run a local program (program-images.ts); the same map as `StandIn.mapImage`. */
  mapImage(pattern: string, mapping: ImageMapping): void {
    this.#images.map(pattern, mapping);
  }

  unmapImage(pattern: string): boolean {
    return this.#images.unmap(pattern);
  }

  /**
   * Where a pod that runs programs has its files on this machine: `volumes/<volume>` (an emptyDir such as the
   * receiver's /data), `serviceaccount/` (token, ca.crt, namespace). Undefined before its first program starts and
   * after the pod is gone.
   */
  podDirectory(namespace: string, pod: string): string | undefined {
    const uid = this.#latest.get(`${namespace}/${pod}`);
    return uid ? this.#programs?.podDir(uid) : undefined;
  }

  /** Pids of the programs this kubelet runs now (containers, preStop and exec-probe commands). */
  programPids(): number[] {
    return this.#programs?.pids() ?? [];
  }

  /** The control handle of a container of the latest pod named `pod` (it need not be running yet). */
  container(namespace: string, pod: string, container: string): ContainerControl {
    const uid = this.#latest.get(`${namespace}/${pod}`);
    if (!uid) throw new Error(`the kubelet knows no pod ${namespace}/${pod}`);
    const output = this.#output(uid, namespace, pod, container);
    return containerControl(output, (code) => {
      const w = this.#workers.get(uid);
      if (!w) throw new Error(`pod ${namespace}/${pod} is not running on any node`);
      w.exitContainer(container, code);
    });
  }

  /** Every container output the kubelet has seen (pods since deleted included), for whole-capture comparisons. */
  outputs(): ContainerOutput[] {
    return [...this.#outputs.values()].flatMap((m) => [...m.values()]);
  }

  #output(uid: string, namespace: string, pod: string, container: string): ContainerOutput {
    let byName = this.#outputs.get(uid);
    if (!byName) this.#outputs.set(uid, (byName = new Map()));
    let out = byName.get(container);
    if (!out) byName.set(container, (out = new ContainerOutput(namespace, pod, container, this.opts.keepHistory ?? true)));
    return out;
  }

  #handle(type: ResourceType, event: WatchEvent): void {
    if (sameType(type, this.#nodes)) {
      // A node appeared, changed or went: pods waiting for one may fit now.
      for (const key of [...this.#scheduling]) this.#schedule(key);
      return;
    }
    if (!sameType(type, this.#pods)) return;
    const pod = event.object;
    const uid = pod.metadata.uid!;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (event.type === "DELETED") {
      this.#workers.get(uid)?.stop();
      this.#workers.delete(uid);
      return;
    }
    if (event.type === "ADDED") this.#latest.set(key, uid);
    const worker = this.#workers.get(uid);
    if (worker) return worker.update(pod);
    if (pod.spec?.nodeName) return this.#run(pod);
    if (!pod.metadata.deletionTimestamp && !this.#scheduling.has(key)) {
      this.#scheduling.add(key);
      this.clock.after(this.timing.scheduleSeconds, () => this.#schedule(key));
    }
  }

  #run(pod: KubeObject): void {
    const node = this.#store!.get(this.#nodes, undefined, pod.spec.nodeName);
    const nodeName: string = pod.spec.nodeName;
    const worker = new PodWorker(pod, {
      store: this.#store!,
      pods: this.#pods,
      clock: this.clock,
      timing: this.timing,
      hostIP: nodeInternalIP(node),
      nativeSidecars: supportsNativeSidecars(node?.status?.nodeInfo?.kubeletVersion),
      // A pod that runs programs gets a loopback address its programs can be reached on (loopback-ips.ts).
      allocatePodIP: () => (this.#programs?.runsPrograms(pod) ? this.#programs.ips.allocate() : this.#allocateIP(nodeName, node)),
      programs: this.#programs,
      output: (p, container) => this.#output(p.metadata.uid!, p.metadata.namespace!, p.metadata.name!, container),
    });
    this.#workers.set(pod.metadata.uid!, worker);
    worker.start();
    if (pod.metadata.deletionTimestamp) worker.update(pod);
  }

  #allocateIP(nodeName: string, node: KubeObject | undefined): string {
    const n = (this.#ipCounters.get(nodeName) ?? 1) + 1;
    this.#ipCounters.set(nodeName, n);
    const cidr: string = node?.spec?.podCIDR ?? "10.244.0.0/24";
    const [a, b, c] = cidr.split("/")[0].split(".");
    return `${a}.${b}.${c}.${n}`;
  }

  /** Binds the pod to a node (nodeName, then PodScheduled=True), or reports why it cannot be bound. */
  #schedule(key: string): void {
    const store = this.#store;
    if (!store) return;
    const [namespace, name] = key.split("/");
    const pod = store.get(this.#pods, namespace, name);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
      this.#scheduling.delete(key);
      return;
    }
    const placement = placePod(pod, store.list(this.#nodes, undefined).items, store.list(this.#pods, undefined).items);
    const now = metaTime(this.clock.now());
    const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== "PodScheduled");
    try {
      if ("node" in placement) {
        this.#scheduling.delete(key);
        const bound = store.update(this.#pods, { ...pod, spec: { ...pod.spec, nodeName: placement.node } });
        store.update(this.#pods, { ...bound, status: { ...bound.status, conditions: [...conditions, { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now }] } }, { subresource: "status" });
      } else {
        const previous = (pod.status?.conditions ?? []).find((c: any) => c.type === "PodScheduled");
        if (previous?.status === "False" && previous.message === placement.unschedulable) return;
        store.update(
          this.#pods,
          { ...pod, status: { ...pod.status, conditions: [...conditions, { type: "PodScheduled", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "Unschedulable", message: placement.unschedulable }] } },
          { subresource: "status" },
        );
      }
    } catch {
      // The pod changed or went between read and write: its next event brings it back here.
      this.#scheduling.delete(key);
    }
  }
}
