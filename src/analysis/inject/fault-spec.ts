/** `--inject` fault specs (upstream §6): `error-spike`, `service-down=<svc>`, `latency-spike=<svc>`. */

import { UsageError } from "../../common/errors.ts";

export type Fault = { kind: "error-spike" } | { kind: "service-down"; service: string } | { kind: "latency-spike"; service: string };

/** Upstream's wording, without the `invalid --inject` wrapper. */
export function parseFaultSpec(spec: string): Fault {
  const eq = spec.indexOf("=");
  const kind = eq < 0 ? spec : spec.slice(0, eq);
  const param = eq < 0 ? undefined : spec.slice(eq + 1);
  switch (kind) {
    case "error-spike":
      if (param !== undefined) throw new Error("error-spike does not accept a service parameter");
      return { kind };
    case "service-down":
    case "latency-spike":
      if (!param) throw new Error(`${kind} requires service name: ${kind}=<service>`);
      return { kind, service: param };
    default:
      throw new Error(`unknown fault type "${kind}" (valid: error-spike, service-down=<svc>, latency-spike=<svc>)`);
  }
}

/** The `--inject` flag: repeatable (values arrive NUL-joined), never comma-split; one fault per occurrence. */
export function parseInjectFlag(value: string | undefined): Fault[] {
  if (value === undefined) return [];
  return value.split("\u0000").map((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (e) {
      throw new UsageError(`invalid --inject "${spec}": ${(e as Error).message}`);
    }
  });
}
