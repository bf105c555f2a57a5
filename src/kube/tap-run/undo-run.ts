/**
 * Undoing a tap run that failed, and the messages it ends with: every workload the run changed is rolled back
 * (rollback.ts), then what nothing needs any more is removed (cleanup.ts). Ctrl+C ends with 130, as a shell
 * reports a command ended by SIGINT.
 */

import { CliError } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { fluentBitConfigMapName } from "../tap/names.ts";
import type { Workload } from "../tap/workload.ts";
import { cleanUp } from "./cleanup.ts";
import { phaseSignal } from "./deadline.ts";
import type { RunOutput } from "./output.ts";
import { rollBack } from "./rollback.ts";
import type { TapRequest } from "./tap-request.ts";

/**
 * Rolls back what the run changed, then removes what nothing needs any more: the run's Fluent Bit ConfigMap, and the
 * forwarder RBAC if nothing in the namespace is tapped. Returns the workloads whose rollback failed.
 */
export async function undo(cluster: Cluster, req: TapRequest, session: string, changed: Workload[], out: RunOutput): Promise<string[]> {
  const signal = phaseSignal(req.timeoutMs);
  const { failed } = changed.length > 0 ? await rollBack(cluster, session, changed, (l) => out.line(l), signal) : { failed: [] };
  const configMaps = req.forwarder === "fluent-bit" ? [fluentBitConfigMapName(session)] : [];
  for (const warning of (await cleanUp(cluster, req.namespace, configMaps, signal)).warnings) out.line(warning);
  return failed;
}

export const kept = (session: string) => `kept: --no-rollback; remove with 'logtap untap --session ${session}'`;

export function undone(count: number, failed: string[]): string {
  return failed.length === 0 ? `rolled back ${count} workload(s)` : `rollback failed for ${failed.join(", ")}`;
}

/** Ctrl+C, once what the run changed is undone. */
export function interrupted(session: string, count: number, rollback: boolean, failed: string[]): CliError {
  if (count === 0) return new CliError("interrupted: nothing was changed", EXIT_INTERRUPTED);
  return new CliError(`interrupted: ${rollback ? undone(count, failed) : kept(session)}`, EXIT_INTERRUPTED);
}

const EXIT_INTERRUPTED = 130;
