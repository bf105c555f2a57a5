/**
 * §22.3 step 7, the receiver pre-check: `GET <target>/metrics` within 5 s, where any HTTP answer counts as reachable
 * (the same probe as check's, with tap's budget). An https receiver's certificate is not judged here: it is often
 * self-signed for a port-forward, and whether the forwarder trusts it is the forwarder's configuration.
 */

import { CliError, EXIT } from "../../common/errors.ts";
import { probeReceiver } from "../receiver-probe.ts";
import { parseTarget } from "../tap/target.ts";

export const RECEIVER_CHECK_TIMEOUT_MS = 5000;

/** Why the receiver did not answer, as one short phrase, or null when it answered. */
export async function receiverProblem(target: string, timeoutMs = RECEIVER_CHECK_TIMEOUT_MS): Promise<string | null> {
  const t = parseTarget(target);
  if (typeof t === "string") return t;
  const probe = await probeReceiver(target, { timeoutMs });
  return probe.reachable ? null : `GET ${probe.url}: ${probe.error}`;
}

/** The warning line and the error of a failed pre-check (exit 5: the network, worth a retry). */
export function receiverCheckFailure(problem: string): { warning: string; error: CliError } {
  return {
    warning: `Warning: receiver not reachable: ${problem} (use --force to proceed)`,
    error: new CliError(`receiver pre-check failed (use --force to proceed): ${problem}`, EXIT.network),
  };
}
