/** `key=value` label filters (upstream §1.7): split at the first `=`, AND-ed, compared exactly, applied per line. */

import { UsageError } from "../../common/errors.ts";

export interface LabelFilter {
  key: string;
  value: string;
}

export function parseLabelFilter(text: string): LabelFilter {
  const i = text.indexOf("=");
  if (i <= 0) throw new UsageError(`invalid --label: invalid label filter "${text}": expected key=value`);
  return { key: text.slice(0, i), value: text.slice(i + 1) };
}

/**
 * A `--label` flag value: repeated occurrences arrive NUL-joined (see strict-args); each is also comma-split
 * (`--label a=1,b=2`) unless `commaSplit` is off (slice's upstream form, whose values may contain commas).
 */
export function parseLabelFlags(value: string | undefined, opts: { commaSplit?: boolean } = {}): LabelFilter[] {
  if (value === undefined) return [];
  const parts = value.split("\u0000");
  return (opts.commaSplit === false ? parts : parts.flatMap((v) => v.split(","))).filter((v) => v !== "").map(parseLabelFilter);
}
