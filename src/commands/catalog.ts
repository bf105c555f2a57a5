/** `logtap catalog [dir]`: list the captures under a directory, newest first (upstream §15). */

import { defineCommand } from "citty";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { findCaptures } from "../archive/catalog/discover.ts";
import { catalogJson, catalogText } from "../archive/catalog/report.ts";

export default defineCommand({
  meta: { name: "catalog", description: "Discover and list capture directories" },
  args: {
    dir: { type: "positional", description: "directory to scan (default: current directory)", required: false, default: "." },
    recursive: { type: "boolean", alias: "r", description: "scan the whole tree, not only immediate subdirectories" },
    ...jsonArgs,
  },
  async run({ args }) {
    const entries = findCaptures(args.dir, args.recursive === true);
    await writeStdout(isJson(args) ? catalogJson(entries) : catalogText(entries));
    return 0;
  },
});
