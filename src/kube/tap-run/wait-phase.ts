/**
 * `--wait`: the rollouts of a tap run followed to completion (src/kube/rollout), with their state on the progress
 * line; a failure, a timeout or Ctrl+C undoes the run (undo-run.ts) unless `--no-rollback`, and ends it with exit 7
 * (130 for Ctrl+C).
 */

import { CliError, EXIT } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { formatMs } from "../errors/from-fetch.ts";
import { podHasContainer } from "../rollout/pod-problems.ts";
import { RolloutFailure, waitForRollouts, type RolloutOutcome } from "../rollout/wait.ts";
import { sidecarName } from "../tap/names.ts";
import type { Workload } from "../tap/workload.ts";
import { phaseSignal } from "./deadline.ts";
import type { RunOutput } from "./output.ts";
import type { TapRequest } from "./tap-request.ts";
import { interrupted, kept, undo, undone } from "./undo-run.ts";

export async function waitAll(cluster: Cluster, req: TapRequest, session: string, changed: Workload[], out: RunOutput): Promise<RolloutOutcome[]> {
  const sidecar = sidecarName(session);
  const limit = req.timeoutMs > 0 ? `--timeout ${formatMs(req.timeoutMs)}` : "no --timeout";
  out.line(`Waiting for ${changed.length === 1 ? "the rollout" : `${changed.length} rollouts`} (${limit}; --no-wait to skip)...`);
  try {
    return await waitForRollouts(
      cluster,
      changed.map((workload) => ({ workload, isNewPod: (p) => podHasContainer(p, sidecar) })),
      {
        signal: phaseSignal(req.timeoutMs, req.interrupt),
        timeoutMs: req.timeoutMs,
        onProgress: (lines) => out.progress(lines),
        onSettled: (ref, s) => {
          out.progressDone();
          out.line(s.state === "done" ? `Rolled out ${ref}` : `Not waiting for ${ref}: ${s.message}`);
        },
      },
    );
  } catch (e) {
    out.progressDone();
    if (req.interrupt?.aborted) {
      const failed = req.rollback ? await undo(cluster, req, session, changed, out) : [];
      throw interrupted(session, changed.length, req.rollback, failed);
    }
    const reason = e instanceof RolloutFailure ? e.message : (e as Error).message;
    out.line(`Rollout failed: ${reason}`);
    if (!req.rollback) throw new CliError(`rollout failed: ${reason} (${kept(session)})`, EXIT.rollout);
    const failed = await undo(cluster, req, session, changed, out);
    throw new CliError(`rollout failed: ${reason}; ${undone(changed.length, failed)}`, EXIT.rollout);
  }
}

