/** `logtap diff <a> <b>` (upstream §13): structural comparison, or with --baseline/--ci a verdict on B against A. */

import { defineCommand } from "citty";
import { FindingsError, UsageError } from "../common/errors.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { failIfStrict, printProblem, strictArg } from "../cli/read-problems.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { baselineDiff, structuralDiff } from "../analysis/diff/compare.ts";
import { baselineJson, baselineText, structuralJson, structuralText } from "../analysis/diff/diff-output.ts";
import { loadSide } from "../analysis/diff/load-side.ts";
import { VERDICTS, type Verdict } from "../analysis/diff/verdict.ts";

/** `--fail-on` values: repeatable and comma-separated; unknown names are refused rather than never matching. */
function parseFailOn(value: string | undefined): Set<Verdict> {
  const names = (value ?? "regression").split(/[\u0000,]/).map((s) => s.trim()).filter((s) => s !== "");
  for (const n of names) {
    if (!VERDICTS.includes(n as Verdict)) throw new UsageError(`invalid --fail-on "${n}": expected one of ${VERDICTS.join(", ")}`);
  }
  return new Set(names as Verdict[]);
}

export default defineCommand({
  meta: { name: "diff", description: "Compare two captures, or judge one against a baseline" },
  args: {
    a: { type: "positional", required: true, description: "capture A (the baseline with --baseline)" },
    b: { type: "positional", required: true, description: "capture B (the current capture with --baseline)" },
    baseline: { type: "boolean", description: "treat A as the baseline and give a verdict on B" },
    ci: { type: "boolean", description: "baseline mode; exit 6 when the verdict is in --fail-on" },
    "fail-on": { type: "string", repeatable: true, description: "verdicts that fail with --ci (default regression; repeatable, comma-separated)" },
    ...jsonArgs,
    ...strictArg,
  },
  async run({ args }) {
    const failOn = parseFailOn(args["fail-on"]);
    const baseline = args.baseline === true || args.ci === true;
    const [nameA, nameB] = baseline ? ["baseline", "current"] : ["capture A", "capture B"];
    const a = await loadSide(args.a, nameA, printProblem);
    const b = await loadSide(args.b, nameB, printProblem);
    const json = isJson(args);
    let verdict: Verdict | null = null;
    if (baseline) {
      const d = baselineDiff(a.summary, b.summary);
      verdict = d.verdict;
      await writeStdout(json ? goJsonDocument(baselineJson(d), true) : baselineText(d));
    } else {
      const d = structuralDiff(a.summary, b.summary);
      await writeStdout(json ? goJsonDocument(structuralJson(d), true) : structuralText(d));
    }
    failIfStrict(args.strict, [...a.problems, ...b.problems]);
    if (args.ci && verdict !== null && failOn.has(verdict)) throw new FindingsError(`verdict: ${verdict}`);
    return 0;
  },
});
