/** `logtap merge <dir> <dir> [<dir>...] -o <dir>` (upstream §14): several captures copied into one new capture. */

import { defineCommand } from "citty";
import { openCaptureDir } from "../capture/capture-info.ts";
import { UsageError } from "../common/errors.ts";
import { formatBytes, formatCount } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import type { LogtapArgDef } from "../cli/strict-args.ts";
import { checkDistinctSources, checkOutputDir, discardOutput } from "../capture/copy/output-dir.ts";
import { mergeCaptures, type ClockCorrection, type MergeSource } from "../capture/copy/merge.ts";
import { printProblem } from "../cli/read-problems.ts";
import { correctClocks, type ClockCorrected } from "../analysis/clock/clock-correct.ts";

const rest: LogtapArgDef = { type: "positional", required: true, variadic: true, description: "more capture directories" };

export default defineCommand({
  meta: { name: "merge", description: "Merge several capture directories into one" },
  args: {
    capture: { type: "positional", required: true, description: "capture directory" },
    captures: rest,
    out: { type: "string", alias: "o", description: "output directory (required; must not exist or be empty)" },
    "clock-correct": { type: "boolean", description: "estimate clock skew between sources from shared error signatures and correct it (up to 60s)" },
    ...jsonArgs,
  },
  async run({ args }) {
    const dirs = (args._ as string[]).map(String);
    if (!args.out) throw new UsageError("-o/--out is required");
    const json = isJson(args);
    const sources: MergeSource[] = dirs.map((dir) => {
      const c = openCaptureDir(dir);
      return { dir: c.dir, label: dir, metadata: c.metadata, index: c.index };
    });
    checkDistinctSources(dirs);
    const output = checkOutputDir(args.out, dirs);
    // `--clock-correct` (upstream §14.1): skewed sources are replaced by corrected copies.
    let clock: ClockCorrected | null = null;
    if (args["clock-correct"]) {
      try {
        clock = await correctClocks(sources, output.path, printProblem);
      } catch (e) {
        discardOutput(output);
        throw e;
      }
      for (const w of clock.warnings) process.stderr.write(w);
    }
    const corrections: ClockCorrection[] = clock?.corrections ?? [];

    const progress = createProgress();
    let result;
    try {
      result = mergeCaptures(clock?.sources ?? sources, output.path, (done, total) => progress.update(`Merging: ${done} / ${total} files`));
    } catch (e) {
      progress.done();
      discardOutput(output);
      throw e;
    } finally {
      clock?.cleanup();
    }
    progress.done();

    if (json) {
      const doc: Record<string, unknown> = { bytes: result.bytes };
      if (corrections.length > 0) doc.clock_corrections = corrections;
      Object.assign(doc, { entries: result.lines, files: result.files, output: args.out, sources: dirs });
      await writeStdout(goJsonDocument(doc, false));
    } else {
      let text = `Merged: ${dirs.length} sources -> ${args.out} (${formatCount(result.lines)} lines, ${formatBytes(result.bytes)})\n`;
      for (const c of corrections) {
        text += `  Clock correction: ${c.source} offset=${c.offset_ms}ms confidence=${c.confidence.toFixed(2)} method=${c.method}\n`;
      }
      await writeStdout(text);
    }
    return 0;
  },
});
