/**
 * `logtap open <dir>`: replays a capture. Without a terminal (or with --format) the filtered entries go to stdout
 * at --speed; the replay TUI uses the same stages.
 */

import { defineCommand } from "citty";
import { buildFilter, filterArgs, openCaptureArg } from "../cli/capture-args.ts";
import { UsageError } from "../cli/errors.ts";
import { failIfStrict, printProblem, strictArg } from "../cli/read-problems.ts";
import { parseSpeed } from "../cli/values/speed.ts";
import { CaptureReader } from "../capture/reader/capture-reader.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { displayLine } from "../capture/display-line.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { PaceStream } from "../../pipeline/stages/pace.ts";
import { StdoutLinesSink } from "../../pipeline/sinks/stdout-lines-sink.ts";

export default defineCommand({
  meta: { name: "open", description: "Replay a capture directory" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    ...filterArgs,
    speed: { type: "string", default: "1", description: "replay speed: 0 = instant, 1 = original timing, 10x …" },
    format: { type: "string", description: "plain output instead of the TUI: jsonl (capture lines) or text" },
    ...strictArg,
  },
  async run({ args }) {
    const capture = openCaptureArg(args.dir);
    const speed = parseSpeed(args.speed);
    const filter = buildFilter(args, capture);
    let format = args.format ?? (process.stdout.isTTY ? "text" : "jsonl");
    if (format === "json") format = "jsonl";
    if (format !== "jsonl" && format !== "text") throw new UsageError(`invalid --format "${format}": expected jsonl or text`);
    const reader = new CaptureReader(capture.dir, {
      filter,
      onProblem: printProblem,
      rawPrefilter: args.grep ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined,
    });
    await captureSource(reader)
      .pipeThrough(new FilterEntriesStream(filter))
      .pipeThrough(new PaceStream({ speed: () => speed }))
      .pipeTo(new StdoutLinesSink(format === "jsonl" ? encodeEntryLine : displayLine));
    failIfStrict(args.strict, reader.stats.problems);
    return 0;
  },
});
