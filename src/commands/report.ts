/** `logtap report <dir>` (upstream §12): inspect + triage as one incident report (report.json, report.html or --json). */

import { defineCommand } from "citty";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openCaptureDir } from "../capture/capture-info.ts";
import { formatCount, goFixed1 } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { failIfStrict, formatProblem, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { resultsDirArg } from "../cli/results-dir-arg.ts";
import { DIR_MODE, FILE_MODE } from "../capture/file-modes.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { summarize } from "../capture/inspect/summary.ts";
import { buildReport } from "../analysis/report/incident-report.ts";
import { reportHtml } from "../analysis/report/report-html.ts";
import { countFlag, jobsFlag, scanArgs } from "../analysis/triage/options.ts";
import { runTriage } from "../analysis/triage/run-triage.ts";
import { scanProgressText, stderrNote } from "../analysis/triage/scan-progress.ts";

export default defineCommand({
  meta: { name: "report", description: "Incident report of a capture: severity, top errors, suggested commands" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    out: { type: "string", alias: "o", description: "output directory for report.json and report.html (required unless --json)" },
    html: { type: "boolean", default: true, description: "write report.html next to report.json (--html=false or --no-html to skip)" },
    jobs: scanArgs.jobs,
    top: { ...scanArgs.top, description: "error signatures to list (default 20)" },
    ...jsonArgs,
    ...strictArg,
  },
  async run({ args }) {
    const json = isJson(args);
    resultsDirArg(args.out, json);
    const jobs = jobsFlag(args.jobs);
    const top = countFlag("top", args.top, 20);
    const capture = openCaptureDir(args.dir);
    const inspect = summarize(capture);
    const progress = createProgress();
    const { result, problems } = await runTriage(capture, args.dir, {
      jobs,
      top,
      bucketSec: 60,
      maxSignatures: 10_000,
      onProblem: (p) => stderrNote(formatProblem(p)),
      onNote: stderrNote,
      onProgress: (scanned, expected) => progress.update(scanProgressText("Report", scanned, expected)),
    });
    const report = buildReport(args.dir, inspect, result);
    progress.done(`Report: severity=${report.severity}, error_rate=${goFixed1(report.triage.error_rate_pct)}%, entries=${formatCount(report.capture.entries)}`);
    const doc = goJsonDocument(report, true);
    if (json) await writeStdout(doc);
    else {
      mkdirSync(args.out!, { recursive: true, mode: DIR_MODE });
      writeFileSync(join(args.out!, "report.json"), doc, { mode: FILE_MODE });
      if (args.html !== false) writeFileSync(join(args.out!, "report.html"), reportHtml(report, result), { mode: FILE_MODE });
      process.stderr.write(`Report: ${join(args.out!, "report.json")}\n`);
    }
    failIfStrict(args.strict, problems);
    return 0;
  },
});
