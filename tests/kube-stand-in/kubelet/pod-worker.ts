/**
 * One pod on its node, as the kubelet runs it: sandbox, then init containers one by one (a native sidecar —
 * an init container with `restartPolicy: Always` on a 1.29+ kubelet — only has to start, and keeps running), then
 * the app containers; each start opens a new log instance and runs the container's log script; exits restart per
 * restartPolicy with the kubelet's back-off (CrashLoopBackOff); images that never pull loop through ErrImagePull and
 * ImagePullBackOff. Every change is written to the pod's status. On graceful deletion the app containers stop
 * first, then the sidecars, and the pod is finally removed. A container whose image is mapped to a local program
 * (program-images.ts) runs it instead of a script: program-container.ts starts, probes and stops it.
 */

import type { KubeObject, ObjectStore, ResourceType } from "../contract.ts";
import type { ClusterClock } from "../controllers/cluster-clock.ts";
import { metaTime } from "../controllers/cluster-clock.ts";
import { type ContainerKind, type ContainerState } from "./container-state.ts";
import type { ContainerOutput } from "./container-output.ts";
import { errImagePullMessage, imageBehaviour, imageIdFor } from "./image-conventions.ts";
import { backOff, type KubeletTiming } from "./kubelet-timing.ts";
import { type LogScript, logScriptsOf, scriptTotal } from "./log-script.ts";
import { podStatus } from "./pod-status.ts";
import { ScriptRunner } from "./script-runner.ts";
import type { ProgramRuntime } from "./program-runtime.ts";
import { ProgramContainer } from "./program-container.ts";

export interface WorkerEnv {
  store: ObjectStore;
  pods: ResourceType;
  clock: ClusterClock;
  timing: KubeletTiming;
  hostIP: string | undefined;
  nativeSidecars: boolean;
  allocatePodIP(): string;
  output(pod: KubeObject, container: string): ContainerOutput;
  /** Runs containers whose image is mapped to a local program (absent: every container is scripted). */
  programs?: ProgramRuntime;
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

export class PodWorker {
  #pod: KubeObject;
  readonly #containers: ContainerState[] = [];
  readonly #specs = new Map<string, any>();
  /** Init containers with restartPolicy Always on a kubelet too old to know them: they run and never complete. */
  readonly #neverCompletes = new Set<string>();
  readonly #runners = new Map<string, ScriptRunner>();
  /** Container name → its running program (containers whose image is mapped). */
  readonly #programs = new Map<string, ProgramContainer>();
  readonly #cancels = new Set<() => void>();
  #scripts = new Map<string, LogScript>();
  #scriptError: string | undefined;
  #sandboxReady = false;
  #podIP: string | undefined;
  #startTime: string | undefined;
  #terminating = false;
  #terminal = false;
  #initialized = false;
  #stopped = false;
  #publishQueued = false;

  constructor(
    pod: KubeObject,
    private readonly env: WorkerEnv,
  ) {
    this.#pod = pod;
    try {
      this.#scripts = logScriptsOf(pod.metadata.annotations);
    } catch (e) {
      this.#scriptError = (e as Error).message;
    }
    const add = (spec: any, kind: ContainerKind) => {
      this.#specs.set(spec.name, spec);
      this.#containers.push({ name: spec.name, kind, image: spec.image ?? "", state: { waiting: { reason: "ContainerCreating" } }, lastState: {}, restartCount: 0, imageID: "", ready: false, started: false, exits: 0 });
    };
    for (const c of pod.spec?.initContainers ?? []) {
      const sidecar = c.restartPolicy === "Always";
      if (sidecar && !env.nativeSidecars) this.#neverCompletes.add(c.name);
      add(c, sidecar && env.nativeSidecars ? "sidecar" : "init");
    }
    for (const c of pod.spec?.containers ?? []) add(c, "app");
    // While init containers run, the others wait in PodInitializing (as `kubectl get pods` shows Init:0/N).
    const hasInit = this.#containers.some((c) => c.kind !== "app");
    for (const c of this.#containers) if (hasInit) c.state = { waiting: { reason: "PodInitializing" } };
  }

  get uid(): string {
    return this.#pod.metadata.uid!;
  }

  start(): void {
    this.#startTime = metaTime(this.env.clock.now());
    this.#publish();
    this.#after(this.env.timing.sandboxSeconds, () => {
      this.#sandboxReady = true;
      this.#podIP = this.env.allocatePodIP();
      this.#publish();
      this.#runInit(0);
    });
  }

  /** The stored pod changed; a deletion timestamp means: stop the containers and let the pod go. */
  update(pod: KubeObject): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp && !this.#terminating) this.#terminate(Number(pod.metadata.deletionGracePeriodSeconds ?? 30));
  }

  /**
   * The pod is gone (or the kubelet stops): no more timers, no more lines, followers' streams end, programs still
   * running are killed. Resolves once they have exited and the pod's directory is removed.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    for (const r of this.#runners.values()) r.stop();
    for (const c of this.#containers) this.env.output(this.#pod, c.name).current?.close();
    const exits = [...this.#programs.values()].map((p) => p.kill());
    this.#programs.clear();
    return Promise.all(exits).then(() => this.env.programs?.removePod(this.uid));
  }

  /** The pod as its containers see it: the stored object with the IPs this worker gave it (status may lag behind). */
  podView(): KubeObject {
    const status = { ...(this.#pod.status ?? {}) };
    if (this.#podIP) Object.assign(status, { podIP: this.#podIP, podIPs: [{ ip: this.#podIP }] });
    if (this.env.hostIP) Object.assign(status, { hostIP: this.env.hostIP, hostIPs: [{ ip: this.env.hostIP }] });
    return { ...this.#pod, status };
  }

  /** Ends the running instance of `name` with `exitCode` (a test's `restart()`, or a script's restartAfter). */
  exitContainer(name: string, exitCode: number): void {
    const c = this.#container(name);
    if (!c.state.running) throw new Error(`container "${name}" in pod "${this.#pod.metadata.name}" is not running`);
    this.#exit(c, exitCode);
  }

  #container(name: string): ContainerState {
    const c = this.#containers.find((x) => x.name === name);
    if (!c) throw new Error(`pod "${this.#pod.metadata.name}" has no container "${name}"`);
    return c;
  }

  #after(seconds: number, fn: () => void): void {
    const cancel = this.env.clock.after(seconds, () => {
      this.#cancels.delete(cancel);
      if (!this.#stopped) fn();
    });
    this.#cancels.add(cancel);
  }

  #inits(): ContainerState[] {
    return this.#containers.filter((c) => c.kind !== "app");
  }

  #runInit(i: number): void {
    if (this.#terminating) return;
    const inits = this.#inits();
    if (i >= inits.length) {
      this.#initialized = true;
      for (const c of this.#containers.filter((x) => x.kind === "app")) {
        c.state = { waiting: { reason: "ContainerCreating" } };
        this.#start(c);
      }
      this.#publish();
      return;
    }
    const c = inits[i];
    c.state = { waiting: { reason: "PodInitializing" } };
    // A sidecar only has to be started for the next init container to go; an ordinary one has to complete.
    this.#start(c, c.kind === "sidecar" ? () => this.#runInit(i + 1) : undefined);
  }

  #start(c: ContainerState, onStarted?: () => void): void {
    const behaviour = imageBehaviour(c.image);
    if (behaviour.neverPulls) return this.#failPulls(c, 1);
    this.#after(this.env.timing.startSeconds, () => {
      if (this.#terminating) return;
      if (this.env.programs?.isProgram(this.#specs.get(c.name))) return void this.#startProgram(c, onStarted);
      if (this.#scriptError) {
        c.state = { waiting: { reason: "CreateContainerConfigError", message: this.#scriptError } };
        return this.#publish();
      }
      const output = this.#newInstance(c);
      this.#runScript(c, output);
      const spec = this.#specs.get(c.name);
      if (c.kind !== "init" && !behaviour.neverReady) {
        const delay = spec?.readinessProbe?.initialDelaySeconds ?? 0;
        const id = c.containerID;
        this.#after(delay, () => {
          if (c.containerID !== id || !c.state.running) return;
          c.ready = true;
          this.#publish();
        });
      }
      if (behaviour.crashLoops) {
        const id = c.containerID;
        this.#after(this.env.timing.crashAfterSeconds, () => c.containerID === id && c.state.running && this.#exit(c, 1));
      } else if (c.kind === "init" && !this.#neverCompletes.has(c.name)) {
        const script = this.#scripts.get(c.name);
        // An init container with a finite script exits when it has printed it; otherwise after initRunSeconds.
        if (!script || scriptTotal(script) === Infinity) {
          const id = c.containerID;
          this.#after(this.env.timing.initRunSeconds, () => c.containerID === id && c.state.running && this.#exit(c, 0));
        }
      }
      this.#publish();
      onStarted?.();
    });
  }

  /** The container is running a new instance (a restart keeps what ran before as lastState); its log is opened. */
  #newInstance(c: ContainerState): ContainerOutput {
    const now = metaTime(this.env.clock.now());
    if (c.state.terminated || (c.state.waiting && c.exits > 0)) {
      // A restart (at once, or after CrashLoopBackOff): what ran before becomes lastState.
      const before = c.state.terminated ?? c.lastState.terminated;
      c.lastState = before ? { terminated: before } : {};
      c.restartCount++;
    }
    c.containerID = `stand-in://${randomHex(32)}`;
    c.imageID = imageIdFor(c.image);
    c.state = { running: { startedAt: now } };
    c.started = true;
    c.ready = false;
    const output = this.env.output(this.#pod, c.name);
    output.startInstance(c.containerID, c.restartCount);
    return output;
  }

  /** A container whose image is mapped: its process is built (env, files), started, probed; its exit is the container's. */
  async #startProgram(c: ContainerState, onStarted?: () => void): Promise<void> {
    const spec = this.#specs.get(c.name);
    let program: ProgramContainer;
    try {
      program = await ProgramContainer.prepare(this.env.programs!, { pod: this.podView(), container: spec, kind: c.kind, clock: this.env.clock, timing: this.env.timing });
    } catch (e) {
      if (this.#terminating || this.#stopped) return;
      // A missing Secret, ConfigMap or service account: waiting, and tried again (the kubelet re-syncs the pod).
      c.state = { waiting: { reason: "CreateContainerConfigError", message: (e as Error).message } };
      this.#publish();
      this.#after(this.env.timing.backOffSeconds, () => this.#startProgram(c, onStarted));
      return;
    }
    if (this.#terminating || this.#stopped) return;
    const output = this.#newInstance(c);
    const id = c.containerID;
    this.#programs.set(c.name, program);
    program.start(output, {
      exited: (exit) => {
        if (this.#programs.get(c.name) === program) this.#programs.delete(c.name);
        if (c.containerID === id && c.state.running) this.#exit(c, exit.exitCode, exit.startError ? { reason: "StartError", message: exit.startError } : undefined);
      },
      ready: (ready) => {
        if (c.containerID !== id || !c.state.running || c.ready === ready) return;
        c.ready = ready;
        this.#publish();
      },
      started: () => {
        if (c.containerID !== id || !c.state.running) return;
        c.started = true;
        this.#publish();
        if (program.hasStartupProbe) onStarted?.();
      },
    });
    c.started = !program.hasStartupProbe;
    this.#publish();
    // A sidecar with a startup probe lets the next init container go only once the probe passed (the 1.29+ rule).
    if (!program.hasStartupProbe) onStarted?.();
  }

  #runScript(c: ContainerState, output: ContainerOutput): void {
    const script = this.#scripts.get(c.name);
    if (!script) return;
    const id = c.containerID;
    const runner = new ScriptRunner(script, output, c.restartCount, {
      exit: (code) => c.containerID === id && c.state.running && this.#exit(c, code),
      done: () => {
        if (c.kind === "init" && !this.#neverCompletes.has(c.name) && c.containerID === id && c.state.running) this.#exit(c, 0);
      },
    });
    this.#runners.set(c.name, runner);
    runner.start();
  }

  #failPulls(c: ContainerState, attempt: number): void {
    this.#after(this.env.timing.startSeconds, () => {
      if (this.#terminating) return;
      c.state = { waiting: { reason: "ErrImagePull", message: errImagePullMessage(c.image) } };
      this.#publish();
      this.#after(this.env.timing.startSeconds, () => {
        if (this.#terminating) return;
        c.state = { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` } };
        this.#publish();
        this.#after(backOff(this.env.timing, attempt), () => this.#failPulls(c, attempt + 1));
      });
    });
  }

  #exit(c: ContainerState, exitCode: number, details?: { reason: string; message?: string }): void {
    if (!c.state.running) return;
    this.#runners.get(c.name)?.stop();
    this.#runners.delete(c.name);
    // A program ended by the kubelet (a test's restart(), a failed liveness probe) is killed if it still runs.
    void this.#programs.get(c.name)?.kill();
    this.#programs.delete(c.name);
    this.env.output(this.#pod, c.name).current?.close();
    const now = metaTime(this.env.clock.now());
    c.state = { terminated: { exitCode, reason: details?.reason ?? (exitCode === 0 ? "Completed" : "Error"), ...(details?.message ? { message: details.message } : {}), startedAt: c.state.running.startedAt, finishedAt: now, containerID: c.containerID! } };
    c.ready = false;
    if (c.kind !== "init") c.started = false;
    c.exits++;
    this.#publish();
    if (this.#terminating) return;
    const inits = this.#inits();
    if (c.kind === "init" && exitCode === 0) return this.#runInit(inits.indexOf(c) + 1);
    const policy = this.#pod.spec?.restartPolicy ?? "Always";
    const restarts = c.kind === "sidecar" || policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
    if (!restarts) return;
    // The first restart is immediate; after that the kubelet backs off 10 s, 20 s, 40 s … (CrashLoopBackOff).
    const delay = c.exits <= 1 ? 0 : backOff(this.env.timing, c.exits - 1);
    if (delay > 0) {
      c.lastState = { terminated: c.state.terminated };
      c.state = { waiting: { reason: "CrashLoopBackOff", message: `back-off ${delay}s restarting failed container=${c.name} pod=${this.#pod.metadata.name}_${this.#pod.metadata.namespace}(${this.uid})` } };
      this.#publish();
    }
    this.#after(delay, () => !this.#terminating && this.#start(c));
  }

  #terminate(graceSeconds: number): void {
    this.#terminating = true;
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    const stop = Math.min(this.env.timing.stopSeconds, graceSeconds);
    // The grace period runs from now for every container, sidecars included (programs get at least a real floor).
    const deadline = performance.now() + this.env.clock.ms(graceSeconds);
    // Scripted containers exit `scriptedSeconds` from now; programs get preStop, SIGTERM, then SIGKILL at the
    // deadline, and their exit code is the container's. Each phase ends when both are done.
    const stopAll = (kinds: ContainerKind[], scriptedSeconds: number) => {
      const scripted = new Promise<void>((resolve) =>
        this.#after(scriptedSeconds, () => {
          for (const c of this.#containers) if (kinds.includes(c.kind) && c.state.running && !this.#programs.has(c.name)) this.#exit(c, 0);
          resolve();
        }),
      );
      const programs = this.#containers
        .filter((c) => kinds.includes(c.kind) && c.state.running && this.#programs.has(c.name))
        .map((c) => this.#programs.get(c.name)!.stop(deadline, graceSeconds === 0).then((exit) => this.#exit(c, exit.exitCode)));
      return Promise.all([scripted, ...programs]);
    };
    // App containers get SIGTERM first; native sidecars only once they have exited (the 1.29+ ordering).
    void (async () => {
      await stopAll(["app", "init"], stop);
      if (this.#stopped) return;
      await stopAll(["sidecar"], stop / 2);
      if (this.#stopped) return;
      this.#terminal = true;
      this.#publish(true);
      try {
        (this.env.store.delete as any)(this.env.pods, this.#pod.metadata.namespace, this.#pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
      } catch {
        // Gone already (deleted with grace 0 by someone else): nothing left to do.
      }
    })();
  }

  /** Writes the status soon (one write for all the changes of this turn), or now. */
  #publish(now = false): void {
    if (now) return this.#write();
    if (this.#publishQueued) return;
    this.#publishQueued = true;
    queueMicrotask(() => {
      this.#publishQueued = false;
      this.#write();
    });
  }

  #write(): void {
    if (this.#stopped) return;
    const { store, pods } = this.env;
    const current = store.get(pods, this.#pod.metadata.namespace, this.#pod.metadata.name!);
    if (!current || current.metadata.uid !== this.uid) return;
    const status = podStatus(current, { containers: this.#containers, sandboxReady: this.#sandboxReady, hostIP: this.env.hostIP, podIP: this.#podIP, startTime: this.#startTime, terminal: this.#terminal, initialized: this.#initialized }, this.env.clock.now());
    try {
      // A status write carries the whole object (the real kubelet patches status only): metadata must be the current one.
      const { resourceVersion: _rv, ...metadata } = current.metadata;
      store.update(pods, { ...current, metadata, status }, { subresource: "status" });
    } catch {
      // The pod went (or was replaced) between our read and write: its new kubelet worker reports for it.
    }
  }
}
