/**
 * `logtap triage <dir>` (upstream §11): errors, their signatures and timeline, talkers, recommended windows and
 * cross-service correlations, as files in `--out` or one JSON document. Exit 6 when error lines were found.
 */

import { defineCommand } from "citty";
import { openCaptureDir } from "../capture/capture-info.ts";
import { FindingsError } from "../common/errors.ts";
import { formatCount } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { failIfStrict, formatProblem, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { resultsDirArg } from "../cli/results-dir-arg.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { bucketWidthFlag, countFlag, jobsFlag, scanArgs } from "../analysis/triage/options.ts";
import { runTriage } from "../analysis/triage/run-triage.ts";
import { scanProgressText, stderrNote } from "../analysis/triage/scan-progress.ts";
import { triageJson } from "../analysis/triage/triage-result.ts";
import { writeTriageArtifacts } from "../analysis/triage/write-artifacts.ts";

export default defineCommand({
  meta: { name: "triage", description: "Find errors, error bursts, top talkers and cross-service correlations in a capture" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    out: { type: "string", alias: "o", description: "output directory for summary.md and the other files (required unless --json)" },
    jobs: scanArgs.jobs,
    top: { ...scanArgs.top, description: "error signatures to list (default 50)" },
    window: { type: "string", description: "timeline bucket width, whole seconds (Go duration, default 1m)" },
    "max-signatures": { type: "string", description: "distinct error signatures kept (default 10000)" },
    html: { type: "boolean", description: "also write report.html (one self-contained page)" },
    "exit-zero": { type: "boolean", description: "exit 0 even when error lines are found (default: exit 6)" },
    ...jsonArgs,
    ...strictArg,
  },
  async run({ args }) {
    const json = isJson(args);
    resultsDirArg(args.out, json);
    const opts = {
      jobs: jobsFlag(args.jobs),
      bucketSec: bucketWidthFlag(args.window),
      top: countFlag("top", args.top, 50),
      maxSignatures: countFlag("max-signatures", args["max-signatures"], 10_000),
    };
    const capture = openCaptureDir(args.dir);
    const progress = createProgress();
    const { result, problems } = await runTriage(capture, args.dir, {
      ...opts,
      onProblem: (p) => stderrNote(formatProblem(p)),
      onNote: stderrNote,
      onProgress: (scanned, expected) => progress.update(scanProgressText("Triage", scanned, expected)),
    });
    progress.done(`Triage: ${formatCount(result.totalLines)} lines scanned, ${formatCount(result.errorLines)} errors found`);
    if (json) await writeStdout(goJsonDocument(triageJson(result), true));
    else {
      writeTriageArtifacts(args.out!, result, { html: args.html === true });
      process.stderr.write(`Results: ${args.out}/summary.md\n`);
    }
    failIfStrict(args.strict, problems);
    if (result.errorLines > 0 && !args["exit-zero"]) {
      throw new FindingsError(`${formatCount(result.errorLines)} error lines found (use --exit-zero to exit 0)`);
    }
    return 0;
  },
});
