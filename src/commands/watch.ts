/**
 * `logtap watch <capture-dir>` (upstream §16 with the Q15 and Q25 fixes): the last N entries, then — while the
 * capture is live — new entries as the receiver writes them, until SIGINT/SIGTERM (exit 0) or the capture stops.
 */

import { defineCommand } from "citty";
import { buildFilter } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { UsageError } from "../common/errors.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { printProblem } from "../cli/read-problems.ts";
import { displayLine } from "../capture/display-line.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { CaptureTail } from "../capture/tail/capture-tail.ts";
import { captureTailSource } from "../../pipeline/sources/capture-tail-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { StdoutLinesSink } from "../../pipeline/sinks/stdout-lines-sink.ts";

export default defineCommand({
  meta: { name: "watch", description: "Follow a live capture (or show the end of a finished one)" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    lines: { type: "string", alias: "n", default: "10", description: "entries to show before following" },
    grep: { type: "string", description: "regex (RE2 syntax) on the message" },
    label: { type: "string", repeatable: true, description: "label filter key=value (repeatable, comma-separated, AND-ed)" },
    ...jsonArgs,
  },
  async run({ args }) {
    const n = Number(args.lines);
    if (!/^\d+$/.test(String(args.lines).trim()) || !Number.isSafeInteger(n)) throw new UsageError(`invalid --lines: "${args.lines}"`);
    const capture = openCaptureDir(args.dir);
    const filter = buildFilter({ label: args.label, grep: args.grep }, capture, { messageOnly: true });

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const tail = new CaptureTail(capture.dir, { lines: n, filter, signal: stop.signal, onProblem: printProblem });
      await captureTailSource(tail)
        .pipeThrough(new FilterEntriesStream(filter))
        .pipeTo(new StdoutLinesSink(isJson(args) ? encodeEntryLine : displayLine));
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return 0;
  },
});
