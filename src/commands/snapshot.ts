/** `logtap snapshot <capture-dir|archive> -o <file|dir> [--extract]`: pack a capture into one .tar.zst, or unpack one (upstream §17). */

import { defineCommand } from "citty";
import { UsageError } from "../common/errors.ts";
import { formatBytes } from "../common/format.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { writeStdout } from "../common/stdout.ts";
import { extractSnapshot } from "../archive/snapshot/extract.ts";
import { packSnapshot } from "../archive/snapshot/pack.ts";
import { extractedJson, extractedText, packedJson, packedText } from "../archive/snapshot/report.ts";

export default defineCommand({
  meta: { name: "snapshot", description: "Pack a capture into one .tar.zst file, or extract one with --extract" },
  args: {
    source: { type: "positional", description: "capture directory (pack) or archive file (--extract)", required: true },
    output: { type: "string", alias: "o", description: "archive file to write, or directory to extract into (required)" },
    extract: { type: "boolean", description: "extract the archive into --output (a new or empty directory)" },
    ...jsonArgs,
  },
  async run({ args }) {
    if (!args.output) throw new UsageError("--output is required");
    const json = isJson(args);
    const progress = createProgress();
    const show = (verb: string) => (done: number, total: number) => progress.update(`${verb}: ${formatBytes(done)} / ${formatBytes(total)}`);
    const warn = (line: string) => process.stderr.write(line + "\n");
    if (args.extract) {
      await extractSnapshot(args.source, args.output, { progress: show("Extracting") }).finally(() => progress.done());
      if (json) await writeStdout(extractedJson(args.source, args.output));
      else process.stderr.write(extractedText(args.output));
      return 0;
    }
    const bytes = await packSnapshot(args.source, args.output, { warn, progress: show("Packing") }).finally(() => progress.done());
    if (json) await writeStdout(packedJson(args.source, args.output, bytes));
    else process.stderr.write(packedText(args.output, bytes));
    return 0;
  },
});
