/** The filter flags every reading command shares (`--from/--to/--label/--grep`) and how they become an EntryFilter. */

import { UsageError } from "../common/errors.ts";
import type { CaptureInfo } from "../capture/capture-info.ts";
import { EntryFilter } from "../capture/filters/entry-filter.ts";
import { parseLabelFlags } from "../capture/filters/label-filter.ts";
import { parseTimeFlag } from "../capture/filters/time-spec.ts";
import { compileRe2 } from "../regex/re2.ts";

export const filterArgs = {
  from: { type: "string", description: "start time: RFC3339, HH:MM (capture's start date, UTC) or -30m (before the capture's end)" },
  to: { type: "string", description: "end time (inclusive), same forms as --from" },
  label: { type: "string", repeatable: true, description: "label filter key=value (repeatable, comma-separated, AND-ed)" },
  grep: { type: "string", description: "regex (RE2 syntax) on the message or any label value" },
} as const;

export interface FilterFlagValues {
  from?: string;
  to?: string;
  label?: string;
  grep?: string;
}

export function compilePatternFlag(flag: string, pattern: string): RegExp {
  try {
    return compileRe2(pattern);
  } catch (e) {
    throw new UsageError(`invalid ${flag}: ${(e as Error).message}`);
  }
}

export function buildFilter(args: FilterFlagValues, capture: CaptureInfo, opts: { sliceTimes?: boolean; messageOnly?: boolean; pattern?: string } = {}): EntryFilter {
  const timeOpts = { sliceForms: opts.sliceTimes };
  const pattern = opts.pattern ?? args.grep;
  return new EntryFilter({
    from: parseTimeFlag("from", args.from, capture.clock, timeOpts),
    to: parseTimeFlag("to", args.to, capture.clock, timeOpts),
    labels: parseLabelFlags(args.label),
    regex: pattern === undefined ? undefined : compilePatternFlag(opts.pattern !== undefined ? "pattern" : "--grep", pattern),
    messageOnly: opts.messageOnly,
  });
}
