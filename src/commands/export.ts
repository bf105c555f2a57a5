/**
 * `logtap export <capture-dir> --format jsonl|csv|parquet --out <path>` (upstream §10): the filtered entries of a
 * capture as one file, or with `--partition-by` as a Hive-partitioned directory. The summary reports the rows
 * actually exported (upstream reported the capture's total, its Q11). `--with-pattern` reads the filtered capture
 * twice: mining the log patterns first, then exporting each row with its final pattern (docs/commands/patterns.md).
 */

import { defineCommand } from "citty";
import { buildFilter, filterArgs } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { CliError, EXIT, UsageError } from "../common/errors.ts";
import { formatBytes, formatCount } from "../common/format.ts";
import { createProgress } from "../cli/progress.ts";
import { failIfStrict, printProblem, problemSummary, strictArg } from "../cli/read-problems.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { writeStdout } from "../common/stdout.ts";
import { CaptureReader } from "../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../capture/reader/read-problem.ts";
import { parseExportFormat, type ExportFormat } from "../export/export-format.ts";
import type { ExportSinkOptions } from "../export/export-target.ts";
import { checkOutputPath } from "../export/output-path.ts";
import { parsePartitionBy } from "../export/partition-spec.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { ExportFileSink } from "../../pipeline/sinks/export-file-sink.ts";
import { SingleFileTarget } from "../export/export-target.ts";
import { PartitionedTarget } from "../export/partitioned-target.ts";
import { mineCapture } from "../analysis/patterns/mine-capture.ts";
import type { MinedPatterns } from "../analysis/patterns/finish.ts";
import { DEFAULT_MAX_TEMPLATES } from "../analysis/patterns/miner.ts";
import { countFlag } from "../analysis/triage/options.ts";
import { AssignPatternsStream } from "../../pipeline/stages/assign-patterns.ts";

function openSink(format: ExportFormat, out: string, partitionBy: string | undefined, withPattern: boolean, opts: ExportSinkOptions): ExportFileSink {
  const target =
    partitionBy !== undefined ? new PartitionedTarget(format, out, parsePartitionBy(partitionBy), { withPattern }) : new SingleFileTarget(format, out, { withPattern });
  return new ExportFileSink(target, opts);
}

export default defineCommand({
  meta: { name: "export", description: "Export a capture to Parquet, CSV or JSONL" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    format: { type: "string", description: "output format: parquet, csv or jsonl (required)" },
    out: { type: "string", description: "output file, or directory with --partition-by (required)" },
    ...filterArgs,
    "partition-by": {
      type: "string",
      description: "write a Hive-partitioned directory: hour and/or label keys, comma-separated (e.g. hour,app)",
    },
    "with-pattern": { type: "boolean", description: "add the pattern and pattern_id columns (the log pattern of each row, ids as `logtap patterns --json`)" },
    "max-patterns": { type: "string", description: "with --with-pattern: templates kept (default 10000); later new ones get no pattern" },
    ...strictArg,
    json: { type: "boolean", description: "output a JSON summary" },
  },
  async run({ args }) {
    const format = parseExportFormat(args.format);
    if (!args.out) throw new UsageError("--out is required");
    const out = args.out;
    const partitionBy = args["partition-by"];
    if (partitionBy !== undefined) parsePartitionBy(partitionBy);
    const withPattern = args["with-pattern"] === true;
    const maxTemplates = countFlag("max-patterns", args["max-patterns"], DEFAULT_MAX_TEMPLATES);
    const capture = openCaptureDir(args.dir);
    const filter = buildFilter(args, capture);
    checkOutputPath(out, capture.dir, partitionBy !== undefined ? "directory" : "file");

    // --strict stops at the first corrupt frame, Ctrl+C at once; the sink is aborted, so no output is left behind.
    const stop = new AbortController();
    const onProblem = (p: ReadProblem) => {
      printProblem(p);
      if (args.strict && p.kind === "corrupt") stop.abort(new Error("corrupt data (--strict)"));
    };
    const onSignal = () => stop.abort(new CliError("interrupted", 130));

    const prefilter = args.grep !== undefined ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined;
    const progress = createProgress();
    let mined: MinedPatterns | null = null;
    if (withPattern) {
      // Damage is reported by the second pass; the first only stops on it with --strict.
      const quiet = (p: ReadProblem) => {
        if (args.strict && p.kind === "corrupt") stop.abort(new Error("corrupt data (--strict)"));
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const pass = await mineCapture(capture.dir, {
          filter,
          rawPrefilter: prefilter,
          maxTemplates,
          onProblem: quiet,
          onEntries: (n) => progress.update(`Mining patterns: ${formatCount(n)} lines`),
          signal: stop.signal,
        });
        mined = pass.mined;
      } catch (e) {
        progress.done();
        throw stop.signal.aborted && stop.signal.reason instanceof CliError ? stop.signal.reason : e;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    const reader = new CaptureReader(capture.dir, { filter, rawPrefilter: prefilter, onProblem });
    // Handlers first: the sink creates the temporary output, and an interrupt from then on must remove it.
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const sink = openSink(format, out, partitionBy, withPattern, { onRows: (n) => progress.update(`Exporting: ${formatCount(n)} lines`) });
    try {
      const rows = captureSource(reader).pipeThrough(new FilterEntriesStream(filter));
      await (mined !== null ? rows.pipeThrough(new AssignPatternsStream(mined)) : rows).pipeTo(sink, { signal: stop.signal });
    } catch (e) {
      progress.done();
      failIfStrict(args.strict, reader.stats.problems);
      throw stop.signal.aborted && stop.signal.reason instanceof CliError ? stop.signal.reason : e;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    const result = sink.result!;
    const skipped = problemSummary(reader.stats.problems);
    progress.done();
    if (args.json) {
      // Upstream prints this from a Go map: keys in alphabetical order.
      const summary: Record<string, unknown> = { bytes: result.bytes, format, lines: result.rows, output: out };
      if (result.partitions !== undefined) summary.partitions = result.partitions;
      if (skipped) summary.skipped = skipped;
      summary.source = args.dir;
      await writeStdout(goJsonDocument(summary, false));
    } else {
      const details = [formatBytes(result.bytes)];
      if (result.partitions !== undefined) details[0] += ` in ${result.partitions} ${result.partitions === 1 ? "partition" : "partitions"}`;
      if (skipped) details.push(skipped);
      process.stderr.write(`Exported: ${result.rows} lines -> ${out} (${details.join(", ")})\n`);
    }
    return EXIT.ok;
  },
});
