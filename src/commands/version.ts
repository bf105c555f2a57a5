/** `logtap version`: text or `--json` (upstream §21.1; the runtime sits where Go's version was, same key). */

import { defineCommand } from "citty";
import { BUILD_DATE, COMMIT, RUNTIME, VERSION } from "../version.ts";
import { jsonArgs, isJson } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";

export default defineCommand({
  meta: { name: "version", description: "Print version information" },
  args: { ...jsonArgs },
  async run({ args }) {
    await writeStdout(
      isJson(args)
        ? JSON.stringify({ version: VERSION, commit: COMMIT, date: BUILD_DATE, goVersion: RUNTIME }, null, 2) + "\n"
        : `logtap ${VERSION} (commit: ${COMMIT}, built: ${BUILD_DATE}, go: ${RUNTIME})\n`,
    );
  },
});
