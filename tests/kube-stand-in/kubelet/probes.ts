/**
 * The kubelet's probes against a running program (pkg/kubelet/prober): `httpGet` (2xx and 3xx succeed; host the pod
 * IP unless given; named ports looked up in the container's ports), `tcpSocket` (the connection opens), `exec` (the
 * command, run as the container's process would be, exits 0), and `grpc` (approximated by a TCP connect: no gRPC
 * health client here). Each probe waits `initialDelaySeconds`, then runs every `periodSeconds` with a
 * `timeoutSeconds` limit, and reports a change of verdict after `successThreshold` / `failureThreshold` consecutive
 * results. Delays are cluster seconds (the clock's timeScale applies), with real-time floors, since a real program
 * on a loaded machine takes real time that no time scale shortens: the timeout is at least a second, the period at
 * least 100 ms (500 ms for exec probes, which start a process each), and a liveness or startup probe does not kill
 * a program in its first `startGraceMs` of real time (its failures count, but only act after that).
 */

import { connect } from "node:net";
import type { ClusterClock } from "../controllers/cluster-clock.ts";

export type ProbeKind = "startup" | "readiness" | "liveness";

export interface ProbeTarget {
  podIP: string;
  container: any;
  /** Runs an exec probe's command in the container; resolves with its exit code (killed at the timeout). */
  exec(command: string[], timeoutMs: number): Promise<number>;
}

export const PROBE_TIMEOUT_FLOOR_MS = 1000;
export const PROBE_PERIOD_FLOOR_MS = 100;
export const EXEC_PROBE_PERIOD_FLOOR_MS = 500;
/** A program's first seconds of real time, in which failed liveness and startup probes do not kill it yet. */
export const PROGRAM_START_GRACE_MS = 5000;

/** A named port → its number, from the container's ports. */
export function portNumber(container: any, port: number | string | undefined): number | undefined {
  if (typeof port === "number") return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container?.ports?.find((p: any) => p.name === port)?.containerPort;
}

async function httpGet(probe: any, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const port = portNumber(target.container, probe.port);
  if (!port) return false;
  const scheme = String(probe.scheme ?? "HTTP").toLowerCase();
  const host = probe.host || target.podIP;
  const path = probe.path ? (String(probe.path).startsWith("/") ? probe.path : `/${probe.path}`) : "/";
  const headers: Record<string, string> = { "user-agent": "kube-probe/1.31", accept: "*/*" };
  for (const h of probe.httpHeaders ?? []) headers[String(h.name).toLowerCase()] = String(h.value);
  try {
    const res = await fetch(`${scheme}://${host}:${port}${path}`, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs), tls: { rejectUnauthorized: false } } as RequestInit);
    await res.arrayBuffer().catch(() => {});
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

function tcpOpen(host: string, port: number | undefined, timeoutMs: number): Promise<boolean> {
  if (!port) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** One probe run: true when it succeeded. */
export async function runProbe(probe: any, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  if (probe.httpGet) return httpGet(probe.httpGet, target, timeoutMs);
  if (probe.tcpSocket) return tcpOpen(probe.tcpSocket.host || target.podIP, portNumber(target.container, probe.tcpSocket.port), timeoutMs);
  if (probe.grpc) return tcpOpen(target.podIP, portNumber(target.container, probe.grpc.port), timeoutMs);
  if (probe.exec?.command?.length) return (await target.exec(probe.exec.command, timeoutMs).catch(() => 1)) === 0;
  return false;
}

/** A probe that keeps running until stopped; `onResult(ok)` is told each verdict change (the first included). */
export class Prober {
  #stopped = false;
  #cancel: (() => void) | undefined;
  #successes = 0;
  #failures = 0;
  #verdict: boolean | undefined;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: any,
    private readonly target: ProbeTarget,
    private readonly clock: ClusterClock,
    private readonly onResult: (ok: boolean) => void,
    /** performance.now() before which a liveness or startup failure is not acted on. */
    private readonly failuresActFrom = 0,
  ) {}

  start(): void {
    this.#schedule(Number(this.probe.initialDelaySeconds ?? 0));
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }

  #schedule(seconds: number): void {
    if (this.#stopped) return;
    const floor = seconds > 0 ? (this.probe.exec ? EXEC_PROBE_PERIOD_FLOOR_MS : PROBE_PERIOD_FLOOR_MS) : 0;
    this.#cancel = this.clock.afterMs(Math.max(this.clock.ms(seconds), floor), () => void this.#run());
  }

  async #run(): Promise<void> {
    if (this.#stopped) return;
    const timeoutMs = Math.max(this.clock.ms(Number(this.probe.timeoutSeconds ?? 1)), PROBE_TIMEOUT_FLOOR_MS);
    const ok = await runProbe(this.probe, this.target, timeoutMs);
    if (this.#stopped) return;
    if (ok) {
      this.#successes++;
      this.#failures = 0;
    } else {
      this.#failures++;
      this.#successes = 0;
    }
    const successThreshold = this.kind === "readiness" ? Number(this.probe.successThreshold ?? 1) : 1;
    const failureThreshold = Number(this.probe.failureThreshold ?? 3);
    // Readiness starts out failed: one failure is not a change; liveness and startup start out passing.
    const mayFail = this.kind === "readiness" || performance.now() >= this.failuresActFrom;
    const next = ok && this.#successes >= successThreshold ? true : !ok && this.#failures >= failureThreshold && mayFail ? false : this.#verdict;
    if (next !== undefined && next !== this.#verdict) {
      this.#verdict = next;
      this.onResult(next);
    }
    // A startup probe stops once it succeeded; the others go on for the container's life.
    if (this.kind === "startup" && next === true) return;
    this.#schedule(Number(this.probe.periodSeconds ?? 10));
  }
}
