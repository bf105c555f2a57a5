/**
 * `logtap check` (alias `doctor`, upstream §22.7): is this namespace ready for tap, and did a session leave
 * anything behind? The report goes to stderr (text) or stdout (`--json`); problems found — a command the user lacks
 * permissions for, leftovers, a step that could not be checked — exit 6 (upstream always exited 0).
 */

import { defineCommand } from "citty";
import { clusterArgs, connectFromArgs } from "../cli/cluster-args.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { FindingsError } from "../common/errors.ts";
import { checkJson } from "../kube/check/check-json.ts";
import { renderCheckText } from "../kube/check/check-text.ts";
import { problems, runCheck } from "../kube/check/run-check.ts";

export default defineCommand({
  meta: { name: "check", description: "Check cluster readiness (permissions per command, quotas) and find leftovers" },
  args: { ...clusterArgs, ...jsonArgs },
  async run({ args }) {
    const report = await runCheck(await connectFromArgs(args));
    if (isJson(args)) await writeStdout(goJsonDocument(checkJson(report), true));
    else process.stderr.write(renderCheckText(report));
    const found = problems(report);
    if (found.length > 0) throw new FindingsError(`check found problems: ${found.join("; ")}`);
    return 0;
  },
});
