/** Ctrl+C before the receiver was ready: what the run created is deleted, and the command ends as a shell would (130). */

import { CliError } from "../../common/errors.ts";

const EXIT_INTERRUPTED = 130;

export function interruptedDeploy(): CliError {
  return new CliError("interrupted: removed what this run created", EXIT_INTERRUPTED);
}
