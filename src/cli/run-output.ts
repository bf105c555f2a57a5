/**
 * The RunOutput of tap and untap for a terminal or a pipe: lines on stderr, dry-run diffs on stdout (not in JSON
 * mode, whose result carries the change), the rollout state as a progress line only when stderr is a terminal.
 */

import { createProgress } from "./progress.ts";
import { writeStdout } from "../common/stdout.ts";
import type { RunOutput } from "../kube/tap-run/output.ts";

export function cliRunOutput(json: boolean): RunOutput {
  const progress = createProgress({ minIntervalMs: 250 });
  return {
    line: (text) => void process.stderr.write(`${text}\n`),
    // Upstream printed the diff with Println: the block ends with a blank line (Appendix A.9).
    diff: (text) => (json ? Promise.resolve() : writeStdout(`${text}\n`)),
    progress: (lines) => progress.update(lines.length === 1 ? lines[0]! : `${lines[0]} (+${lines.length - 1} more)`),
    progressDone: () => progress.done(),
  };
}
