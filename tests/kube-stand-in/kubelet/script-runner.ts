/**
 * Runs one container instance's log script: writes the script's lines into the instance at the script's rate,
 * numbering them across restarts, rotating the file every `rotateEvery` lines, and asking the kubelet to end the
 * instance after `restartAfter` lines. The rate is real time (timestamps are real); several lines due in the same
 * timer tick are written together, so high rates work with a coarse timer.
 */

import type { ContainerOutput } from "./container-output.ts";
import { type LogScript, renderLine, scriptTotal } from "./log-script.ts";

export interface ScriptRunnerHooks {
  /** The instance must exit (restartAfter reached) with this code. */
  exit(exitCode: number): void;
  /** Every line of the script has been written (the container keeps running, quietly). */
  done?(): void;
}

export class ScriptRunner {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #instanceLines = 0;
  #fileLines = 0;
  #groupNs: bigint | undefined;
  readonly #startedAt = performance.now();

  constructor(
    private readonly script: LogScript,
    private readonly output: ContainerOutput,
    private readonly restart: number,
    private readonly hooks: ScriptRunnerHooks,
  ) {}

  start(): void {
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const total = scriptTotal(this.script);
    const rate = this.script.rate ?? 0;
    // Lines due by now for this instance: all of them without a rate.
    const due = rate > 0 ? Math.floor(((performance.now() - this.#startedAt) / 1000) * rate) + 1 : Infinity;
    while (!this.#stopped && this.output.scriptLines < total && this.#instanceLines < due) {
      this.#writeOne();
      if (this.script.restartAfter && this.#instanceLines >= this.script.restartAfter) {
        this.stop();
        this.hooks.exit(this.script.exitCode ?? 1);
        return;
      }
    }
    if (this.#stopped) return;
    if (this.output.scriptLines >= total) {
      this.hooks.done?.();
      return;
    }
    const nextDueMs = this.#startedAt + (this.#instanceLines / rate) * 1000;
    this.#timer = setTimeout(() => this.#tick(), Math.max(1, nextDueMs - performance.now()));
  }

  #writeOne(): void {
    const s = this.script;
    const n = this.output.scriptLines + 1;
    const text = renderLine(s, n, { pod: this.output.pod, namespace: this.output.namespace, container: this.output.container, restart: this.restart });
    const group = s.sameTimestamp ?? 1;
    // Groups of `sameTimestamp` lines share the first one's nanosecond (counted across restarts, like {n}).
    if ((n - 1) % group === 0) this.#groupNs = group > 1 ? this.output.nextTimestamp() : undefined;
    this.output.write(text, { partialEvery: s.partialEvery, stream: s.stream }, this.#groupNs);
    this.output.scriptLines = n;
    this.#instanceLines++;
    this.#fileLines++;
    if (s.rotateEvery && this.#fileLines >= s.rotateEvery) {
      this.#fileLines = 0;
      this.output.current!.rotate();
    }
  }
}
