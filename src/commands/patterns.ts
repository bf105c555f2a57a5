/**
 * `logtap patterns <dir>`: the kinds of lines in a capture — every log template the miner finds (src/analysis/patterns)
 * with its count, first and last seen, services and one example; `--errors` for error lines only. The ids are the
 * ones `export --with-pattern` writes.
 */

import { defineCommand } from "citty";
import { buildFilter, filterArgs } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { formatCount } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { failIfStrict, printProblem, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { isErrorLine } from "../analysis/signature/error-line.ts";
import { mineCapture } from "../analysis/patterns/mine-capture.ts";
import { DEFAULT_MAX_TEMPLATES } from "../analysis/patterns/miner.ts";
import { patternsJson, patternsText } from "../analysis/patterns/patterns-output.ts";
import { countFlag } from "../analysis/triage/options.ts";

export default defineCommand({
  meta: { name: "patterns", description: "List the log patterns (templates) of a capture with counts, times, services and an example" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    ...filterArgs,
    errors: { type: "boolean", description: "error lines only (the triage keywords)" },
    top: { type: "string", description: "patterns to list, most frequent first (default 50; 0 = all)" },
    "max-patterns": { type: "string", description: "templates kept (default 10000); lines that would start more are counted as ungrouped" },
    ...jsonArgs,
    ...strictArg,
  },
  async run({ args }) {
    const top = args.top !== undefined && /^\s*0+\s*$/.test(args.top) ? Infinity : countFlag("top", args.top, 50);
    const maxTemplates = countFlag("max-patterns", args["max-patterns"], DEFAULT_MAX_TEMPLATES);
    const capture = openCaptureDir(args.dir);
    const filter = buildFilter(args, capture);
    const prefilter = args.grep !== undefined ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined;
    const progress = createProgress();
    const errorsOnly = args.errors === true;
    const { mined, problems } = await mineCapture(capture.dir, {
      filter,
      rawPrefilter: prefilter,
      maxTemplates,
      select: errorsOnly ? (e) => isErrorLine(e.msg) : undefined,
      onProblem: printProblem,
      onEntries: (n) => progress.update(`Patterns: ${formatCount(n)} lines read`),
    });
    progress.done(`Patterns: ${formatCount(mined.patterns.length)} from ${formatCount(mined.lines)} ${errorsOnly ? "error lines" : "lines"}`);
    if (mined.ungrouped.count > 0) {
      process.stderr.write(`Patterns capped at ${formatCount(mined.maxTemplates)} templates (${formatCount(mined.ungrouped.count)} lines ungrouped; raise --max-patterns)\n`);
    }
    const report = { dir: args.dir, mined, shown: mined.patterns.slice(0, top), errorsOnly };
    await writeStdout(isJson(args) ? goJsonDocument(patternsJson(report), true) : patternsText(report));
    failIfStrict(args.strict, problems);
    return 0;
  },
});
