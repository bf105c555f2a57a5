/** `tap --json` and `untap --json`: the run as data (with `--dry-run`, the change per workload — dry-run.ts's shapes). */

import { tapJson, untapJson } from "../tap/dry-run.ts";
import type { TapResult } from "./run-tap.ts";
import type { UntapResult } from "./run-untap.ts";

export function tapResultJson(r: TapResult) {
  return {
    dry_run: r.dryRun,
    session: r.session,
    target: r.target,
    namespace: r.namespace,
    sidecar_mode: { mode: r.sidecarMode.mode, reason: r.sidecarMode.reason },
    workloads: r.workloads.map((w) => ({
      ...tapJson(w.plan),
      write_attempts: w.attempts,
      rollout: w.rollout === null ? null : { state: w.rollout.state, message: w.rollout.message },
    })),
    warnings: r.warnings,
  };
}

export function untapResultJson(r: UntapResult) {
  return {
    dry_run: r.dryRun,
    namespace: r.namespace,
    workloads: r.workloads.map((w) => ({ ...untapJson(w.plan), write_attempts: w.attempts })),
    sessions_removed: r.sessionsRemoved,
    rbac_removed: r.rbacRemoved,
    warnings: r.warnings,
  };
}
