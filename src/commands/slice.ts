/**
 * `logtap slice <capture-dir> -o <dir>` (upstream §9 with the Q10 fixes): copies the lines that pass the filters,
 * byte for byte, into a new capture with its own index and metadata.
 */

import { defineCommand } from "citty";
import { compilePatternFlag } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { CliError, EXIT, UsageError } from "../common/errors.ts";
import { formatCount } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { failIfStrict, printProblem, problemSummary, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { REPEAT_SEPARATOR } from "../cli/strict-args.ts";
import { dataFileStats } from "../capture/data-file-stats.ts";
import { checkOutputDir, discardOutput } from "../capture/copy/output-dir.ts";
import { LineCopyWriter } from "../capture/copy/line-copy-writer.ts";
import { parseSliceLabels, sliceMetadata } from "../capture/copy/slice.ts";
import { EntryFilter } from "../capture/filters/entry-filter.ts";
import { parseTimeFlag } from "../capture/filters/time-spec.ts";
import { writeMetadata } from "../capture/metadata.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { CaptureReader } from "../capture/reader/capture-reader.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { CopyLinesSink } from "../../pipeline/sinks/copy-lines-sink.ts";

const TIME_FORMS = "RFC3339, H:MM (on the capture's start date, UTC), -30m or 30m (before the capture's end)";

export default defineCommand({
  meta: { name: "slice", description: "Copy a time range or subset of a capture into a new capture" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    out: { type: "string", alias: "o", description: "output directory (required; must not exist or be empty)" },
    from: { type: "string", description: `start time: ${TIME_FORMS}` },
    to: { type: "string", description: "end time (inclusive), same forms as --from" },
    label: { type: "string", repeatable: true, description: "label filter key=value (repeatable, AND-ed per line, never comma-split)" },
    grep: { type: "string", description: "regex (RE2 syntax) on the stored JSON line" },
    ...strictArg,
    ...jsonArgs,
  },
  async run({ args }) {
    if (!args.out) throw new UsageError("-o/--out is required");
    const json = isJson(args);
    const capture = openCaptureDir(args.dir);
    const opts = { sliceForms: true };
    const filter = new EntryFilter({
      from: parseTimeFlag("from", args.from, capture.clock, opts),
      to: parseTimeFlag("to", args.to, capture.clock, opts),
      labels: parseSliceLabels(args.label === undefined ? [] : args.label.split(REPEAT_SEPARATOR)),
      rawRegex: args.grep === undefined ? undefined : compilePatternFlag("--grep", args.grep),
    });
    const output = checkOutputDir(args.out, [capture.dir]);

    const progress = createProgress();
    let copied = 0;
    const copier = new LineCopyWriter(output.path, {
      onFileDone: (f) => {
        copied += f.lines;
        progress.update(`Slicing: ${formatCount(copied)} lines copied`);
        if (!json) void writeStdout(`Processed file: ${f.name} (Matched ${formatCount(f.lines)} lines)\n`);
      },
    });
    const reader = new CaptureReader(capture.dir, {
      filter,
      keepRaw: true,
      rawPrefilter: args.grep === undefined ? undefined : (requiredLiteralPrefilter(args.grep) ?? undefined),
      // The active file of a live capture ends in a frame still being written: expected, not worth a warning.
      onProblem: (p) => (capture.live && p.kind === "torn-tail" ? undefined : printProblem(p)),
    });
    let totals;
    try {
      await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(new CopyLinesSink(copier));
      totals = await copier.close();
      progress.done();
      failIfStrict(args.strict, reader.stats.problems);
      if (totals.lines === 0) throw new CliError("no matching log lines found for the given filters", EXIT.internal);
      writeMetadata(output.path, sliceMetadata(capture.metadata, totals));
    } catch (e) {
      progress.done();
      discardOutput(output);
      throw e;
    }

    const stats = dataFileStats(output.path);
    if (json) {
      await writeStdout(goJsonDocument({ bytes: stats.bytes, entries: totals.lines, files: stats.files, output: args.out, source: args.dir }, false));
    } else {
      const skipped = problemSummary(reader.stats.problems.filter((p) => !(capture.live && p.kind === "torn-tail")));
      await writeStdout(
        `Slicing complete. Wrote ${formatCount(totals.lines)} lines across ${stats.files} files to ${args.out}${skipped ? ` (${skipped})` : ""}\n`,
      );
    }
    return 0;
  },
});
