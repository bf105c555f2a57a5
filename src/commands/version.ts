/** `logtap version`: text or `--json` (upstream §21.1; the runtime sits where Go's version was, same key). */

import { defineCommand } from "citty";
import { BUILD_DATE, COMMIT, RUNTIME, VERSION } from "../version.ts";
import { jsonArgs, isJson } from "../cli/json-flags.ts";

export default defineCommand({
  meta: { name: "version", description: "Print version information" },
  args: { ...jsonArgs },
  run({ args }) {
    if (isJson(args)) {
      process.stdout.write(JSON.stringify({ version: VERSION, commit: COMMIT, date: BUILD_DATE, goVersion: RUNTIME }, null, 2) + "\n");
    } else {
      process.stdout.write(`logtap ${VERSION} (commit: ${COMMIT}, built: ${BUILD_DATE}, go: ${RUNTIME})\n`);
    }
  },
});
