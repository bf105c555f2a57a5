/**
 * `logtap open <dir>`: replays a capture. Without a terminal (or with --format) the filtered entries go to stdout
 * at --speed; the replay TUI uses the same stages.
 */

import { defineCommand } from "citty";
import { buildFilter, filterArgs } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { UsageError } from "../common/errors.ts";
import { failIfStrict, printProblem, strictArg } from "../cli/read-problems.ts";
import { parseSpeed } from "../common/values/speed.ts";
import { CaptureReader } from "../capture/reader/capture-reader.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { displayLine } from "../capture/display-line.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { PaceStream } from "../../pipeline/stages/pace.ts";
import { StdoutLinesSink } from "../../pipeline/sinks/stdout-lines-sink.ts";
import { parseTuiBuffer, stdoutIsTerminal, tuiWanted } from "../tui/tty.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { injectArgs, parseInjectArgs } from "../analysis/inject/inject-args.ts";
import { injectOutText, injectToCapture } from "../analysis/inject/inject-out.ts";
import { InjectFaultsStream } from "../../pipeline/stages/inject-faults.ts";

export default defineCommand({
  meta: { name: "open", description: "Replay a capture directory" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    ...filterArgs,
    speed: { type: "string", default: "1", description: "replay speed: 0 = instant, 1 = original timing, 10x …" },
    format: { type: "string", description: "plain output instead of the TUI: jsonl (capture lines) or text" },
    headless: { type: "boolean", description: "no TUI: plain replay on stdout (as when not on a terminal)" },
    "tui-buffer": { type: "string", default: "10000", description: "log entries the TUI keeps for scrolling and filtering" },
    ...injectArgs,
    ...strictArg,
  },
  async run({ args }) {
    const capture = openCaptureDir(args.dir);
    const speed = parseSpeed(args.speed);
    const filter = buildFilter(args, capture);
    let format = args.format ?? (stdoutIsTerminal() ? "text" : "jsonl");
    if (format === "json") format = "jsonl";
    if (format !== "jsonl" && format !== "text") throw new UsageError(`invalid --format "${format}": expected jsonl or text`);
    const { injector, faults } = parseInjectArgs(args, capture);
    if (args["inject-out"] !== undefined) {
      const rawPrefilter = args.grep ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined;
      const r = await injectToCapture({ capture, source: args.dir, output: args["inject-out"], filter, rawPrefilter, injector, faults, onProblem: printProblem });
      await writeStdout(args.json || args.format === "json" ? goJsonDocument(r.summary, true) : injectOutText(r.summary));
      failIfStrict(args.strict, r.problems);
      return 0;
    }
    const tuiBuffer = parseTuiBuffer(args["tui-buffer"]);
    if (typeof tuiBuffer === "string") throw new UsageError(tuiBuffer);
    const tui = tuiWanted({ headless: args.headless, format: args.format });
    if (tui) {
      const { runReplayTui } = await import("../tui/replay/replay-tui.ts");
      const rawPrefilter = args.grep ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined;
      // The same stages as the plain replay: filter → [inject] → pace.
      const stages = injector.active ? [new InjectFaultsStream(injector)] : [];
      const r = await runReplayTui({ capture, filter, rawPrefilter, speed, labelGiven: Boolean(args.label), ringSize: tuiBuffer, stages });
      if (r.opened) {
        // Warnings about damaged data wait until the terminal is restored.
        for (const p of r.problems) printProblem(p);
        failIfStrict(args.strict, r.problems);
        return 0;
      }
      process.stderr.write(`warning: cannot open the TUI (${r.reason}); replaying as text\n`);
    }
    const reader = new CaptureReader(capture.dir, {
      filter,
      onProblem: printProblem,
      rawPrefilter: args.grep ? (requiredLiteralPrefilter(args.grep) ?? undefined) : undefined,
    });
    let entries = captureSource(reader).pipeThrough(new FilterEntriesStream(filter));
    if (injector.active) entries = entries.pipeThrough(new InjectFaultsStream(injector));
    await entries
      .pipeThrough(new PaceStream({ speed: () => speed }))
      .pipeTo(new StdoutLinesSink(format === "jsonl" ? encodeEntryLine : displayLine));
    failIfStrict(args.strict, reader.stats.problems);
    return 0;
  },
});
