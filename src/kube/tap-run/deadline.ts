/**
 * The time budgets of a run. `--timeout` bounds each phase — the changes, the rollout wait, a rollback — and each
 * phase gets the whole budget: a rollback must never be starved by the deadline that made it necessary. Ctrl+C
 * (`interrupt`) ends the changes and the wait as a failure (so they are rolled back) but never the rollback.
 */

export function phaseSignal(timeoutMs: number, interrupt?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return interrupt === undefined ? deadline : AbortSignal.any([deadline, interrupt]);
}
