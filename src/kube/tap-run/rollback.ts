/**
 * Undoing a tap run (Q28): every workload this run changed is read again and this session is untapped from what is
 * there now — never from the copy read before the tap (upstream's rollback used that stale copy and so always
 * failed). Someone else's changes made in between stay, as in any untap. A StatefulSet whose new pods never became
 * ready would keep them (its controller waits for a broken pod instead of replacing it: Kubernetes' "forced
 * rollback"), so those pods are deleted, and the controller recreates them from the restored template.
 */

import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { podDiagnosis, podHasContainer, type Pod } from "../rollout/pod-problems.ts";
import { selectorText, type LabelSelector } from "../rollout/label-selector.ts";
import { sidecarName } from "../tap/names.ts";
import { TapError, workloadRef, type Workload } from "../tap/workload.ts";
import { writeUntap } from "./write-workload.ts";

export interface RollbackResult {
  /** Workloads still carrying the session because their rollback failed. */
  failed: string[];
  /** The ConfigMaps the untapped sessions used, for cleanUp. */
  configMaps: string[];
}

/** Deletes the StatefulSet's pods that run the tapped template and are not ready; returns their names. */
async function replaceBrokenPods(cluster: Cluster, sts: Workload, session: string, signal: AbortSignal): Promise<string[]> {
  const ns = encodeURIComponent(sts.metadata.namespace!);
  const selector = selectorText((sts.spec as { selector?: LabelSelector }).selector);
  const list = await cluster.request<{ items?: Pod[] }>({ path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: selector || undefined }, signal });
  const broken = (list?.items ?? []).filter((p) => podHasContainer(p, sidecarName(session)) && !p.metadata?.deletionTimestamp && podDiagnosis(p) !== null);
  for (const p of broken) {
    const name = p.metadata!.name!;
    const uid = (p.metadata as { uid?: string }).uid;
    try {
      await cluster.request({ method: "DELETE", path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}`, body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { uid } }, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return broken.map((p) => p.metadata!.name!);
}

/** §22.3 step 13's rollback (ConfigMaps and RBAC are left to cleanUp), with its lines (`Rolling back …`, `  rollback failed for …`, `Rollback complete`). */
export async function rollBack(cluster: Cluster, session: string, changed: readonly Workload[], line: (text: string) => void, signal: AbortSignal): Promise<RollbackResult> {
  const failed: string[] = [];
  const configMaps: string[] = [];
  line(`\nRolling back ${changed.length} tapped workload(s)...`);
  for (const w of changed) {
    const ref = workloadRef(w);
    line(`Rolling back: untapping ${ref}...`);
    try {
      const { plan } = await writeUntap(cluster, w, session, signal);
      configMaps.push(...plan.configMapsToDelete);
      for (const c of plan.conflicts) line(`  conflict: ${c}`);
      if (w.kind === "StatefulSet") {
        const replaced = await replaceBrokenPods(cluster, w, session, signal);
        if (replaced.length > 0) line(`  deleted pods that never became ready, to be recreated untapped: ${replaced.join(", ")}`);
      }
    } catch (e) {
      // Someone untapped it in the meantime: nothing of this session is left to undo.
      if (e instanceof TapError) {
        line(`  nothing to undo: ${e.message}`);
        continue;
      }
      failed.push(ref);
      line(`  rollback failed for ${ref}: ${(e as Error).message}`);
    }
  }
  line(failed.length === 0 ? "Rollback complete" : `Rollback incomplete: ${failed.join(", ")} still tapped (logtap untap --session ${session})`);
  return { failed, configMaps };
}
