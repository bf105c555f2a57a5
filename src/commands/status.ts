/**
 * `logtap status` (upstream §22.9): what is tapped in the namespace, whether each pod's forwarder runs, and what
 * the receivers say. Text on stderr, `--json` on stdout.
 */

import { defineCommand } from "citty";
import { clusterArgs, connectFromArgs } from "../cli/cluster-args.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { runStatus } from "../kube/status/run-status.ts";
import { statusJson } from "../kube/status/status-json.ts";
import { renderStatusText } from "../kube/status/status-text.ts";

export default defineCommand({
  meta: { name: "status", description: "Show tapped workloads, their forwarders and receiver stats" },
  args: { ...clusterArgs, ...jsonArgs },
  async run({ args }) {
    const report = await runStatus(await connectFromArgs(args));
    if (isJson(args)) await writeStdout(goJsonDocument(statusJson(report), true));
    else process.stderr.write(renderStatusText(report));
    return 0;
  },
});
