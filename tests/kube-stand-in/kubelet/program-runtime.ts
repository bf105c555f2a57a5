/**
 * The kubelet's side of pods that run programs: which containers are programs (the ImageMap), the per-pod sandbox
 * directories (kept until the pod is gone), the loopback pod IPs, and building one container instance's process:
 * its environment (image ENV, the `kubernetes` Service variables pointing at the stand-in, the spec's env), its
 * command line (Kubernetes' command/args rules), paths inside the pod made local, logtap's test-only
 * LOGTAP_TEST_SERVICEACCOUNT_DIR naming the projected service-account files, and the pod network (pod-network.ts).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject, ObjectStore, StandInClusterAccess } from "../contract.ts";
import type { ContainerLog } from "./container-log.ts";
import type { ContainerOutput } from "./container-output.ts";
import { containerArgv, localArgv } from "./program-command.ts";
import { containerEnv } from "./program-env.ts";
import { type ImageMap, type ImageProgram } from "./program-images.ts";
import { ProgramProcess, type SpawnSpec } from "./program-process.ts";
import { createPodSandbox, type PodSandbox } from "./pod-sandbox.ts";
import { LoopbackIPs } from "./loopback-ips.ts";
import { PROGRAM_START_GRACE_MS } from "./probes.ts";
import { PodNetwork } from "./pod-network.ts";

/** Everything one container instance's process is built from. */
export interface ProgramStart {
  /** The pod as the container sees it (the worker's podIP/hostIP already in its status). */
  pod: KubeObject;
  container: any;
  program: ImageProgram;
}

export class ProgramRuntime {
  readonly ips = new LoopbackIPs();
  readonly #sandboxes = new Map<string, PodSandbox>();
  readonly #processes = new Set<ProgramProcess>();
  #root: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly images: ImageMap,
    private readonly cluster: StandInClusterAccess | undefined,
    /** Real ms after a program starts before failed liveness/startup probes kill it (probes.ts). */
    readonly startGraceMs = PROGRAM_START_GRACE_MS,
    /** Put programs on the pod network (pod-network.ts: per-pod binds, cluster DNS, ClusterIPs). */
    podNetwork = true,
  ) {
    this.#podNetwork = podNetwork;
  }

  readonly #podNetwork: boolean;
  #network: PodNetwork | undefined;

  #rootDir(): string {
    return (this.#root ??= mkdtempSync(join(tmpdir(), "logtap-stand-in-pods-")));
  }

  /** The program of this container, or undefined for a scripted container. A failing mapping function throws. */
  programFor(container: any, pod: KubeObject): ImageProgram | undefined {
    return this.images.programFor(container, pod);
  }

  /** True when this container's image is mapped to a program. */
  isProgram(container: any): boolean {
    return this.images.has(container?.image);
  }

  /** True when some container of the pod runs a program: the pod gets a loopback IP so others can reach it. */
  runsPrograms(pod: KubeObject): boolean {
    return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].some((c: any) => this.images.has(c.image));
  }

  /** The pod's directory, made on first use (throws ContainerConfigError when a volume or the token cannot be made). */
  sandbox(pod: KubeObject): PodSandbox {
    const uid = pod.metadata.uid!;
    let s = this.#sandboxes.get(uid);
    if (!s) {
      const issuer = this.cluster && { caCert: this.cluster.caCert, issueToken: (ns: string, sa: string) => this.cluster!.issueServiceAccountToken(ns, sa) };
      s = createPodSandbox(this.#rootDir(), pod, this.store, issuer);
      this.#sandboxes.set(uid, s);
    }
    return s;
  }

  /** The pod's directory (`volumes/<name>`, `serviceaccount`), while the pod exists and has run a program. */
  podDir(uid: string): string | undefined {
    return this.#sandboxes.get(uid)?.dir;
  }

  /** The pod is gone: its directory goes too. */
  removePod(uid: string): void {
    this.#sandboxes.get(uid)?.remove();
    this.#sandboxes.delete(uid);
  }

  /** Environment, argv and cwd of a container's process (or of a command run in it: preStop, exec probes). */
  async spawnSpec(s: ProgramStart, argv?: string[]): Promise<SpawnSpec> {
    const sandbox = this.sandbox(s.pod);
    let api: { host: string; port: number } | undefined;
    const base: Record<string, string> = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: join(sandbox.dir, "home"), TMPDIR: tmpdir(), HOSTNAME: s.pod.spec?.hostname ?? s.pod.metadata.name ?? "", ...(s.program.env ?? {}) };
    if (this.cluster) {
      const { host, port } = (api = await this.cluster.apiAddress());
      // The `kubernetes` Service's variables as every pod gets them, pointing at the stand-in's loopback address.
      Object.assign(base, { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: String(port), KUBERNETES_SERVICE_PORT_HTTPS: String(port), KUBERNETES_PORT: `tcp://${host}:${port}` });
    }
    const env = containerEnv({ store: this.store, pod: s.pod, container: s.container, base });
    const mounts = sandbox.mountsOf(s.container);
    for (const [k, v] of Object.entries(env)) env[k] = sandbox.localize(v, mounts);
    // logtap's in-cluster loader reads the token, CA and namespace from here instead of the real mount path.
    if (sandbox.serviceAccountDir && env.LOGTAP_TEST_SERVICEACCOUNT_DIR === undefined) env.LOGTAP_TEST_SERVICEACCOUNT_DIR = sandbox.serviceAccountDir;
    if (this.#podNetwork) {
      this.#network ??= new PodNetwork(this.store, this.#rootDir());
      const net = this.#network.env(s.pod, api);
      if (net.LD_PRELOAD && env.LD_PRELOAD) net.LD_PRELOAD = `${net.LD_PRELOAD}:${env.LD_PRELOAD}`;
      Object.assign(env, net);
    }
    const words = (argv ?? containerArgv(s.program, s.container, env)).map((a) => sandbox.localize(a, mounts));
    return { argv: localArgv(s.program, words), env, cwd: s.program.cwd ?? process.cwd() };
  }

  /** Starts a process (a container's, or a command run in it), owned by this runtime until it exits. */
  spawn(spec: SpawnSpec, sink?: { output: ContainerOutput; log: ContainerLog }): ProgramProcess {
    const p = new ProgramProcess(spec, sink);
    this.#processes.add(p);
    void p.exited.then(() => this.#processes.delete(p));
    return p;
  }

  /** The processes of this kubelet still running (pids), for tests that check nothing is left behind. */
  pids(): number[] {
    return [...this.#processes].filter((p) => p.running).map((p) => p.pid!);
  }

  /** The kubelet stops: whatever still runs is killed (workers killed theirs; preStop and probe commands too), sandboxes go. */
  async close(): Promise<void> {
    const left = [...this.#processes];
    for (const p of left) p.signal("SIGKILL");
    await Promise.all(left.map((p) => p.exited));
    this.#network?.stop();
    this.#network = undefined;
    for (const s of this.#sandboxes.values()) s.remove();
    this.#sandboxes.clear();
    if (this.#root) rmSync(this.#root, { recursive: true, force: true });
    this.#root = undefined;
  }
}
