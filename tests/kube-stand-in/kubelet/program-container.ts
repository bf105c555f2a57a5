/**
 * One instance of a container that runs a local program, from start to exit, as the kubelet drives it: the process
 * (program-runtime.ts builds it), the probes (a startup probe first; then readiness — Ready only once it passes, or
 * at start when there is none — and liveness, whose failure kills the container so the pod's restartPolicy applies),
 * and the stop: `lifecycle.preStop` (exec run as a process in the container, httpGet, or sleep), then SIGTERM, then
 * SIGKILL when the grace period is over. Grace periods are cluster seconds, but a program always gets at least a
 * second of real time (no more than the unscaled grace), since a real program needs real time to shut down.
 */

import type { KubeObject } from "../contract.ts";
import type { ClusterClock } from "../controllers/cluster-clock.ts";
import type { ContainerKind } from "./container-state.ts";
import type { ContainerOutput } from "./container-output.ts";
import type { KubeletTiming } from "./kubelet-timing.ts";
import { type ImageProgram } from "./program-images.ts";
import type { ProgramProcess, ProcessExit, SpawnSpec } from "./program-process.ts";
import type { ProgramRuntime } from "./program-runtime.ts";
import { portNumber, Prober, type ProbeTarget } from "./probes.ts";

export interface ProgramHooks {
  exited(exit: ProcessExit): void;
  ready(ready: boolean): void;
  /** The startup probe passed (containers without one are started at once). */
  started(): void;
}

export interface PrepareOptions {
  pod: KubeObject;
  container: any;
  kind: ContainerKind;
  clock: ClusterClock;
  timing: KubeletTiming;
}

/** Real milliseconds of a grace period of `seconds` cluster seconds: scaled, but at least min(1 s, the real grace). */
export function programGraceMs(clock: ClusterClock, seconds: number): number {
  if (seconds <= 0) return 0;
  return Math.max(clock.ms(seconds), Math.min(1000, seconds * 1000));
}

export class ProgramContainer {
  #process: ProgramProcess | undefined;
  #startedAt = 0;
  readonly #probers: Prober[] = [];
  #stopping: Promise<ProcessExit> | undefined;

  private constructor(
    private readonly runtime: ProgramRuntime,
    private readonly o: PrepareOptions,
    private readonly program: ImageProgram,
    private readonly spec: SpawnSpec,
  ) {}

  /** Builds the process's environment and command line; throws (→ CreateContainerConfigError) when it cannot. */
  static async prepare(runtime: ProgramRuntime, o: PrepareOptions): Promise<ProgramContainer> {
    const program = runtime.programFor(o.container, o.pod);
    if (!program) throw new Error(`image "${o.container?.image}" is no longer mapped to a program`);
    const spec = await runtime.spawnSpec({ pod: o.pod, container: o.container, program });
    return new ProgramContainer(runtime, o, program, spec);
  }

  get hasStartupProbe(): boolean {
    return !!this.o.container?.startupProbe;
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  start(output: ContainerOutput, hooks: ProgramHooks): void {
    const proc = this.runtime.spawn(this.spec, { output, log: output.current! });
    this.#startedAt = performance.now();
    this.#process = proc;
    void proc.exited.then((exit) => {
      for (const p of this.#probers) p.stop();
      hooks.exited(exit);
    });
    const c = this.o.container;
    // Init containers are not probed; an ordinary one is never Ready, it completes.
    if (this.o.kind === "init") return;
    const afterStartup = () => {
      if (c.readinessProbe) this.#probe("readiness", c.readinessProbe, hooks.ready);
      else hooks.ready(true);
      if (c.livenessProbe) this.#probe("liveness", c.livenessProbe, (ok) => !ok && void this.#killForProbe(c.livenessProbe));
    };
    if (c.startupProbe) {
      this.#probe("startup", c.startupProbe, (ok) => {
        if (!ok) return void this.#killForProbe(c.startupProbe);
        hooks.started();
        afterStartup();
      });
    } else afterStartup();
  }

  /** Graceful stop by `deadline` (performance.now() ms): preStop, SIGTERM, SIGKILL; `force` kills at once. */
  stop(deadline: number, force = false): Promise<ProcessExit> {
    if (this.#stopping) return this.#stopping;
    for (const p of this.#probers) p.stop();
    const proc = this.#process;
    if (!proc) return Promise.resolve({ exitCode: 0 });
    this.#stopping = (async () => {
      if (force) {
        proc.signal("SIGKILL");
        return proc.exited;
      }
      const graceSeconds = Math.max(0, (deadline - performance.now()) / 1000 / this.o.clock.timeScale);
      const until = performance.now() + programGraceMs(this.o.clock, graceSeconds);
      const preStop = this.o.container?.lifecycle?.preStop;
      if (preStop && proc.running) await Promise.race([this.#runHandler(preStop, until), proc.exited]);
      // A preStop that used up the grace period leaves the container 2 seconds more (the kubelet's minimum).
      const left = Math.max(until - performance.now(), preStop ? programGraceMs(this.o.clock, 2) : 0);
      return proc.stop(left);
    })();
    return this.#stopping;
  }

  /** Kills at once (the pod is gone, or the kubelet stops). */
  kill(): Promise<ProcessExit | void> {
    for (const p of this.#probers) p.stop();
    if (!this.#process) return Promise.resolve();
    this.#process.signal("SIGKILL");
    return this.#process.exited;
  }

  #probe(kind: "startup" | "readiness" | "liveness", probe: any, onResult: (ok: boolean) => void): void {
    const p = new Prober(kind, probe, this.#target(), this.o.clock, onResult, this.#startedAt + this.runtime.startGraceMs);
    this.#probers.push(p);
    p.start();
  }

  /** A failed liveness or startup probe: the container is killed with the probe's (or the pod's) grace period. */
  #killForProbe(probe: any): Promise<ProcessExit> {
    const seconds = Number(probe.terminationGracePeriodSeconds ?? this.o.pod.spec?.terminationGracePeriodSeconds ?? 30);
    return this.stop(performance.now() + this.o.clock.ms(seconds));
  }

  #target(): ProbeTarget {
    return {
      podIP: this.o.pod.status?.podIP ?? "127.0.0.1",
      container: this.o.container,
      exec: (command, timeoutMs) => this.#exec(command, timeoutMs),
    };
  }

  /** Runs a command in the container (exec probe, preStop exec): same environment and local paths; its exit code. */
  async #exec(command: string[], timeoutMs: number): Promise<number> {
    const spec = await this.runtime.spawnSpec({ pod: this.o.pod, container: this.o.container, program: this.program }, command);
    const p = this.runtime.spawn(spec);
    const timer = setTimeout(() => p.signal("SIGKILL"), timeoutMs);
    const exit = await p.exited;
    clearTimeout(timer);
    return exit.exitCode;
  }

  /** A lifecycle handler (preStop), given until `until` (performance.now() ms). */
  async #runHandler(handler: any, until: number): Promise<void> {
    const ms = Math.max(0, until - performance.now());
    if (handler.exec?.command?.length) {
      await this.#exec(handler.exec.command, ms).catch(() => {});
    } else if (handler.httpGet) {
      const h = handler.httpGet;
      const port = portNumber(this.o.container, h.port);
      const url = `${String(h.scheme ?? "HTTP").toLowerCase()}://${h.host || this.o.pod.status?.podIP}:${port}${h.path ?? "/"}`;
      await fetch(url, { signal: AbortSignal.timeout(Math.max(ms, 1)), tls: { rejectUnauthorized: false } } as RequestInit).then((r) => r.arrayBuffer()).catch(() => {});
    } else if (handler.sleep?.seconds !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, this.o.clock.ms(Number(handler.sleep.seconds)))));
    }
  }
}
