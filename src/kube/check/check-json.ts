/**
 * `check --json` (§22.7, Appendix A.8): each top-level key left out when its step failed or found nothing,
 * `orphans` present as `{}` when clean. Added to upstream's shape: `permissions` (per command, what the user
 * lacks) after `rbac`, and `errors` (the failed steps' messages), which upstream only printed in its text.
 */

import type { CheckReport } from "./run-check.ts";

export function checkJson(r: CheckReport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  if (r.cluster.ok) out.cluster = r.cluster.value;
  else errors.cluster = r.cluster.error;
  if (r.rbac.ok) {
    out.rbac = r.rbac.value.upstream;
    out.permissions = r.rbac.value.commands;
  } else errors.rbac = r.rbac.error;
  if (r.quotas.ok) {
    if (r.quotas.value.length > 0) out.quotas = r.quotas.value;
  } else errors.quotas = r.quotas.error;
  if (r.orphans.ok) {
    const o = r.orphans.value;
    out.orphans = {
      ...(o.sidecars.length > 0 ? { sidecars: o.sidecars } : {}),
      ...(o.stale_workloads.length > 0 ? { stale_workloads: o.stale_workloads } : {}),
      ...(o.receivers.length > 0 ? { receivers: o.receivers } : {}),
    };
  } else errors.orphans = r.orphans.error;
  if (r.candidates.ok) {
    if (r.candidates.value.length > 0) out.candidates = r.candidates.value;
  } else errors.candidates = r.candidates.error;
  if (Object.keys(errors).length > 0) out.errors = errors;
  return out;
}
