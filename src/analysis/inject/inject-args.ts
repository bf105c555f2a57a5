/** The fault-injection flags of `logtap open` (upstream §6) and how they become an Injector. */

import { UsageError } from "../../common/errors.ts";
import { parseDurationFlag } from "../../common/values/duration.ts";
import type { CaptureInfo } from "../../capture/capture-info.ts";
import { parseTimeFlag } from "../../capture/filters/time-spec.ts";
import { parseInjectFlag } from "./fault-spec.ts";
import { Injector } from "./injector.ts";

export const injectArgs = {
  inject: { type: "string", repeatable: true, description: "inject a fault: error-spike, service-down=<svc> or latency-spike=<svc> (repeatable)" },
  at: { type: "string", description: "injection start: RFC3339, HH:MM or -30m (default: the capture's start)" },
  duration: { type: "string", default: "1m", description: "injection window length (Go duration)" },
  "inject-out": { type: "string", description: "write the injected stream to this new capture directory instead of replaying it" },
  json: { type: "boolean", description: "with --inject-out: print the summary as JSON" },
} as const;

export interface InjectFlagValues {
  inject?: string;
  at?: string;
  duration?: string;
  "inject-out"?: string;
}

/**
 * Upstream's order: --at, --duration, then each spec. Without --inject the other flags are not looked at (as
 * upstream), except that --inject-out alone is refused rather than silently replaying.
 */
export function parseInjectArgs(args: InjectFlagValues, capture: CaptureInfo): { injector: Injector; faults: number } {
  if (args.inject === undefined) {
    if (args["inject-out"] !== undefined) throw new UsageError("--inject-out requires at least one --inject");
    return { injector: new Injector([], { at: capture.clock.start, durationNs: 0 }), faults: 0 };
  }
  const at = parseTimeFlag("at", args.at, capture.clock) ?? capture.clock.start;
  const durationNs = parseDurationFlag("duration", args.duration ?? "1m") * 1e6;
  const faults = parseInjectFlag(args.inject);
  return { injector: new Injector(faults, { at, durationNs }), faults: faults.length };
}
