/** `key=value` label filters (upstream §1.7): split at the first `=`, AND-ed, compared exactly, applied per line. */

import { UsageError } from "../../cli/errors.ts";

export interface LabelFilter {
  key: string;
  value: string;
}

export function parseLabelFilter(text: string): LabelFilter {
  const i = text.indexOf("=");
  if (i <= 0) throw new UsageError(`invalid --label: invalid label filter "${text}": expected key=value`);
  return { key: text.slice(0, i), value: text.slice(i + 1) };
}

/** Flag values as given on the command line: repeatable and comma-splitting (`--label a=1,b=2`). */
export function parseLabelFlags(values: string | string[] | undefined): LabelFilter[] {
  if (values === undefined) return [];
  const list = Array.isArray(values) ? values : [values];
  return list.flatMap((v) => v.split(",")).filter((v) => v !== "").map(parseLabelFilter);
}
