/**
 * One local process as the container runtime runs it: started in its own process group (so `sh -c` and whatever it
 * starts go with it), stdin closed, stdout and stderr cut into lines and written to the container's log as the
 * runtime writes them (each line timestamped when read; lines longer than 16 KiB split into partial records, as
 * containerd's buffer does). Its exit code is the process's, or 128 + the signal that killed it (137 for SIGKILL,
 * 143 for SIGTERM). Every process started here is in one registry, killed when the kubelet stops and, as a last
 * resort, when this process exits, so a test leaves no program running.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import type { ContainerLog } from "./container-log.ts";
import type { ContainerOutput } from "./container-output.ts";

/** containerd splits longer lines into partial (P) records of this size. */
export const RUNTIME_LINE_BYTES = 16 * 1024;

export interface ProcessExit {
  exitCode: number;
  /** The signal that ended it, if any ("SIGKILL"). */
  signal?: string;
  /** The program could not be started (not found, not executable): the runtime's StartError. */
  startError?: string;
}

export interface SpawnSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    try {
      p.kill(signal);
    } catch {
      // Gone already.
    }
  }
}

/** Kills every program still running (the test runner is going away). */
export function killAllPrograms(): void {
  for (const p of live) killGroup(p, "SIGKILL");
}

/** How many programs are running now (for tests that check nothing is left behind). */
export function runningPrograms(): number[] {
  return [...live].filter((p) => p.exitCode === null && p.signalCode === null).map((p) => p.pid!).filter((x) => x !== undefined);
}

export class ProgramProcess {
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  #exit: ProcessExit | undefined;

  constructor(spec: SpawnSpec, sink?: { output: ContainerOutput; log: ContainerLog }) {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on("exit", killAllPrograms);
    }
    const child = spawn(spec.argv[0], spec.argv.slice(1), { cwd: spec.cwd, env: spec.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    live.add(child);
    let startError: string | undefined;
    child.on("error", (e: NodeJS.ErrnoException) => {
      // posix_spawn failed: the runtime's message for it, as `kubectl describe` shows it.
      startError = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${spec.argv[0]}": ${e.code === "ENOENT" ? "no such file or directory" : e.message}: unknown`;
    });
    if (sink) {
      lines(child.stdout!, (l) => writeLine(sink, l, "stdout"));
      lines(child.stderr!, (l) => writeLine(sink, l, "stderr"));
    } else {
      child.stdout!.resume();
      child.stderr!.resume();
    }
    // "close" comes after both pipes are drained, so every line is in the log before the exit is reported.
    this.exited = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        live.delete(child);
        const sig = signal ?? undefined;
        const exitCode = startError ? 128 : code !== null && code >= 0 ? code : sig ? 128 + (constants.signals[sig as NodeJS.Signals] ?? 0) : 128;
        this.#exit = { exitCode, signal: sig, startError };
        resolve(this.#exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  signal(signal: NodeJS.Signals): void {
    killGroup(this.#child, signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs` if it has not exited; resolves with its exit. */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (this.#exit) return this.#exit;
    if (graceMs <= 0) this.signal("SIGKILL");
    else {
      this.signal("SIGTERM");
      const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
      this.exited.finally(() => clearTimeout(timer));
    }
    return this.exited;
  }
}

function writeLine(sink: { output: ContainerOutput; log: ContainerLog }, text: string, stream: "stdout" | "stderr"): void {
  // After the instance was replaced (a restart), a slow pipe's last lines have no log to go to.
  if (sink.log.closed || sink.output.current !== sink.log) return;
  sink.output.write(text, { stream, partialEvery: Buffer.byteLength(text) > RUNTIME_LINE_BYTES ? RUNTIME_LINE_BYTES : undefined });
}

/** Calls `onLine` for every line of the stream (without its newline; a last line without one included). */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
  });
  stream.on("end", () => {
    if (pending) onLine(pending);
    pending = "";
  });
}
