/** `logtap gc <captures-dir>`: delete old captures by age and/or a total size budget (upstream §20). */

import { defineCommand } from "citty";
import { UsageError } from "../common/errors.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { parseSizeFlag } from "../common/values/size.ts";
import { writeStdout } from "../common/stdout.ts";
import { collectGarbage } from "../archive/gc/gc.ts";
import { parseMaxAge } from "../archive/gc/max-age.ts";
import { gcJson, gcText } from "../archive/gc/report.ts";

export default defineCommand({
  meta: { name: "gc", description: "Delete old capture directories by age or total size" },
  args: {
    dir: { type: "positional", description: "directory holding capture directories", required: true },
    "max-age": { type: "string", description: "delete captures started longer ago than this (7d, 1.5d, 24h, 90m)" },
    "max-total": { type: "string", description: "then delete the oldest captures until the rest fit this size (e.g. 100GB)" },
    "dry-run": { type: "boolean", description: "only report what would be deleted" },
    ...jsonArgs,
  },
  async run({ args }) {
    const ageText = args["max-age"] ?? "";
    const totalText = args["max-total"] ?? "";
    if (ageText === "" && totalText === "") throw new UsageError("--max-age or --max-total is required");
    const maxAgeMs = ageText === "" ? undefined : parseMaxAge(ageText);
    const maxTotalBytes = totalText === "" ? undefined : parseSizeFlag("max-total", totalText);
    if (maxTotalBytes !== undefined && maxTotalBytes <= 0) throw new UsageError("invalid --max-total: must be positive");
    const result = collectGarbage(args.dir, { maxAgeMs, maxTotalBytes, nowMs: Date.now() }, args["dry-run"] === true);
    await writeStdout(isJson(args) ? gcJson(result) : gcText(result));
    return 0;
  },
});
