/**
 * The time budgets of a run. `--timeout` bounds each phase — the changes, the rollout wait, a rollback — and each
 * phase gets the whole budget: a rollback must never be starved by the deadline that made it necessary. Ctrl+C
 * (`interrupt`) ends the changes and the wait as a failure (so they are rolled back) but never the rollback.
 */

/** `timeoutMs` 0 is no limit (as kubectl's `--request-timeout=0`): only Ctrl+C ends the phase then. */
export function phaseSignal(timeoutMs: number, interrupt?: AbortSignal): AbortSignal {
  const signals = [...(timeoutMs > 0 ? [AbortSignal.timeout(timeoutMs)] : []), ...(interrupt ? [interrupt] : [])];
  return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}
