/** `logtap grep <pattern> <dir>` (upstream §8): JSON lines by default, `--count`, `--sort`, `--format text`, `-C N`. */

import { defineCommand } from "citty";
import { existsSync, statSync } from "node:fs";
import { buildFilter, filterArgs } from "../cli/capture-args.ts";
import { openCaptureDir } from "../capture/capture-info.ts";
import { UsageError } from "../common/errors.ts";
import { formatCount } from "../common/format.ts";
import { failIfStrict, printProblem, problemSummary, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { CaptureReader } from "../capture/reader/capture-reader.ts";
import { EntryFilter } from "../capture/filters/entry-filter.ts";
import { requiredLiteralPrefilter } from "../regex/required-literals.ts";
import { grepJsonLine, grepTextLines, sortByTime } from "../search/grep-output.ts";
import type { GrepHit } from "../search/context-groups.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../pipeline/stages/filter-entries.ts";
import { ContextStream } from "../../pipeline/stages/context-stream.ts";
import { SortedOutputSink } from "../../pipeline/sinks/sorted-output-sink.ts";
import { iteratorSource } from "../../pipeline/sources/iterator-source.ts";
import { SortedOutput } from "../search/sorted-output.ts";
import { CountByFileSink } from "../../pipeline/sinks/count-by-file-sink.ts";
import { StdoutLinesSink } from "../../pipeline/sinks/stdout-lines-sink.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { plainLiterals } from "../regex/plain-literals.ts";
import { judgedGrep } from "../search/judged-grep.ts";
import { judgedSortedGrep } from "../search/judged-sorted.ts";

export default defineCommand({
  meta: { name: "grep", description: "Search captures for matching entries" },
  args: {
    pattern: { type: "positional", description: "regex (RE2 syntax) on the message or any label value", required: true },
    dir: { type: "positional", description: "capture directory", required: true },
    from: filterArgs.from,
    to: filterArgs.to,
    label: filterArgs.label,
    count: { type: "boolean", description: "print per-file match counts instead of entries" },
    sort: { type: "boolean", description: "print matches sorted by time" },
    format: { type: "string", default: "json", description: "json (JSON lines) or text" },
    context: { type: "string", alias: "C", default: "0", description: "lines of context around each match (implies sorting)" },
    ...strictArg,
  },
  async run({ args }) {
    // Upstream's guard for the swapped-argument mistake (`logtap grep ./capture error`).
    if (isDir(args.pattern) && !existsSync(args.dir)) {
      throw new UsageError(`'${args.pattern}' is a directory — did you mean: logtap grep "${args.dir}" ${args.pattern}`);
    }
    const n = Number(args.context);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --context: "${args.context}"`);
    const capture = openCaptureDir(args.dir);
    const filter = buildFilter(args, capture, { pattern: args.pattern });
    const text = args.format === "text";
    const prefilter = requiredLiteralPrefilter(args.pattern) ?? undefined;
    const plain = plainLiterals(args.pattern);

    let matches = 0;
    let files = 0;
    let reader: CaptureReader;
    if (n > 0 && !args.count) {
      // Context needs every candidate line of a file, so only time and labels narrow the read.
      const candidates = new EntryFilter({ from: filter.from, to: filter.to, labels: filter.labels });
      reader = new CaptureReader(capture.dir, { filter: candidates, onProblem: printProblem });
      const context = new ContextStream(filter, n);
      const hits: GrepHit[] = [];
      await captureSource(reader)
        .pipeThrough(new FilterEntriesStream(candidates))
        .pipeThrough(context)
        .pipeTo(new WritableStream({ write: (h) => void hits.push(...h) }));
      matches = context.matches;
      files = new Set(hits.filter((h) => h.context === undefined).map((h) => h.file)).size;
      sortByTime(hits);
      await writeStdout(lines(text ? grepTextLines(hits, true) : hits.map(grepJsonLine)));
    } else if ((args.count || !(args.sort || text)) && plain !== null && process.env.LOGTAP_GREP_GENERAL !== "1") {
      // Plain literals: matches decided and printed from the stored bytes (LOGTAP_GREP_GENERAL=1 turns it off for
      // tests that compare both ways).
      reader = new CaptureReader(capture.dir, { filter, rawPrefilter: prefilter, onProblem: printProblem });
      const r = await judgedGrep(reader, filter, plain, !args.count);
      if (args.count) await writeStdout(lines([...r.counts].map(([f, c]) => `${f}\t${c}`)));
      matches = r.matches;
      files = r.counts.size;
    } else if (plain !== null && process.env.LOGTAP_GREP_GENERAL !== "1") {
      // The same, sorted by time (--format text, --sort): judged-sorted.ts.
      reader = new CaptureReader(capture.dir, { filter, rawPrefilter: prefilter, onProblem: printProblem });
      const r = await judgedSortedGrep(reader, filter, plain, text ? "text" : "json");
      matches = r.matches;
      files = r.counts.size;
    } else if (!args.count && (args.sort || text)) {
      reader = new CaptureReader(capture.dir, { filter, rawPrefilter: prefilter, onProblem: printProblem });
      const output = new SortedOutput(text ? "text" : "json", filter.labels);
      const sink = new SortedOutputSink(output);
      await iteratorSource(reader.batches(output.planned)).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
      matches = sink.matches;
      files = sink.files.size;
    } else {
      reader = new CaptureReader(capture.dir, { filter, rawPrefilter: prefilter, onProblem: printProblem });
      const source = captureSource(reader).pipeThrough(new FilterEntriesStream(filter));
      if (args.count) {
        const sink = new CountByFileSink();
        await source.pipeTo(sink);
        await writeStdout(lines([...sink.counts].map(([f, c]) => `${f}\t${c}`)));
        matches = [...sink.counts.values()].reduce((a, b) => a + b, 0);
        files = sink.counts.size;
      } else {
        const seen = new Set<string>();
        const sink = new StdoutLinesSink(encodeEntryLine);
        await source.pipeThrough(new TransformStream({ transform: (b, c) => (seen.add(b.file), c.enqueue(b)) })).pipeTo(sink);
        matches = sink.count;
        files = seen.size;
      }
    }
    const skipped = problemSummary(reader.stats.problems);
    process.stderr.write(`${formatCount(matches)} matches across ${files} files${skipped ? ` (${skipped})` : ""}\n`);
    failIfStrict(args.strict, reader.stats.problems);
    return 0;
  },
});

function lines(list: string[]): string {
  return list.length === 0 ? "" : list.join("\n") + "\n";
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
