/** The human form of an entry (upstream §1.8, with its Q15 fix: the clock time really is UTC when it says `Z`). */

import type { Entry, Labels } from "../model/entry.ts";
import { formatInstantSeconds } from "./timestamp.ts";

/** The `app` label, else the value of the first label by sorted key (upstream picked one at random), else "". */
export function serviceOf(labels: Labels): string {
  if (labels.app !== undefined) return labels.app;
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return labels[keys.sort()[0]!]!;
}

export function displayLine(e: Entry): string {
  return `${formatInstantSeconds(e)} [${serviceOf(e.labels)}] ${e.msg}`;
}
