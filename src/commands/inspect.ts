/** `logtap inspect <dir>` (upstream §7): a summary from the index alone; only unindexed files are scanned. */

import { defineCommand } from "citty";
import { openCaptureDir } from "../capture/capture-info.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { failIfStrict, printProblem, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { summarize } from "../capture/inspect/summary.ts";
import { inspectJson, renderInspectText } from "../capture/inspect/render.ts";

export default defineCommand({
  meta: { name: "inspect", description: "Show labels, timeline and stats of a capture" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    ...jsonArgs,
    ...strictArg,
  },
  async run({ args }) {
    const summary = summarize(openCaptureDir(args.dir));
    summary.problems.forEach(printProblem);
    await writeStdout(isJson(args) ? goJsonDocument(inspectJson(summary), true) : renderInspectText(summary));
    failIfStrict(args.strict, summary.problems);
    return 0;
  },
});
