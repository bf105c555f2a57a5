/**
 * The in-process handle a test uses to drive one container's output beyond its script: write lines now (with a
 * chosen timestamp if it likes), make the container exit and restart, rotate its log, and read back the ground
 * truth of everything it printed.
 */

import type { ContainerOutput, WriteOptions, WrittenLine } from "./container-output.ts";

export interface ContainerControl {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The running (or last) instance's containerID as the pod status shows it, and its restart count. */
  readonly containerID: string | undefined;
  readonly restartCount: number;
  /** Writes lines to the running instance now. Throws when the container is not running. */
  write(lines: string | string[], opts?: WriteOptions): WrittenLine[];
  /** The running instance exits (default code 1); the kubelet restarts it per the pod's restartPolicy and back-off. */
  restart(opts?: { exitCode?: number }): void;
  /** Kubelet-style log rotation: current followers' streams end; pods/log serves only what comes after. */
  rotate(): void;
  /** Every line written, all instances and files, in order (empty with the kubelet's `keepHistory: false`). */
  history(): WrittenLine[];
  /** How many lines have been written in total. */
  readonly written: number;
  /** Resolves once this many lines have been written in total. */
  whenLines(n: number, timeoutMs?: number): Promise<void>;
}

export function containerControl(output: ContainerOutput, exit: (exitCode: number) => void): ContainerControl {
  return {
    namespace: output.namespace,
    pod: output.pod,
    container: output.container,
    get containerID() {
      return output.current?.containerID;
    },
    get restartCount() {
      return output.current?.restartCount ?? 0;
    },
    write(lines, opts) {
      return (Array.isArray(lines) ? lines : [lines]).map((l) => output.write(l, opts));
    },
    restart(opts = {}) {
      exit(opts.exitCode ?? 1);
    },
    rotate() {
      const log = output.current;
      if (!log || log.closed) throw new Error(`container "${output.container}" in pod "${output.pod}" is not running`);
      log.rotate();
    },
    history() {
      return [...output.history];
    },
    get written() {
      return output.written;
    },
    whenLines(n, timeoutMs) {
      return output.whenLines(n, timeoutMs);
    },
  };
}
