/**
 * `pods/log` query parameters (PodLogOptions) decoded and validated as the API server does: bools and integers as
 * Go's parameter codec reads them (a malformed value is 400 BadRequest), then ValidatePodLogOptions (422 Invalid
 * `PodLogOptions "<pod>" is invalid: ...`, e.g. for both sinceSeconds and sinceTime).
 */

import { ApiStatusError, badRequest, type FieldError, invalid } from "../status-errors.ts";
import { parseRfc3339Ns, truncateToSecond } from "./log-timestamps.ts";

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Lines older than this (ns since the epoch) are left out; equal ones are included. */
  sinceNs?: bigint;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

/** strconv.ParseBool */
function parseBool(name: string, v: string | null): boolean {
  if (v === null) return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False", ""].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function parseInt64(v: string | null): number | undefined {
  if (v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

export function parsePodLogOptions(pod: string, params: URLSearchParams, nowNs: bigint): PodLogOptions {
  const opts: PodLogOptions = {
    container: params.get("container") ?? "",
    follow: parseBool("follow", params.get("follow")),
    previous: parseBool("previous", params.get("previous")),
    timestamps: parseBool("timestamps", params.get("timestamps")),
    sinceSeconds: parseInt64(params.get("sinceSeconds")),
    tailLines: parseInt64(params.get("tailLines")),
    limitBytes: parseInt64(params.get("limitBytes")),
  };
  const sinceTime = params.get("sinceTime");
  let sinceTimeNs: bigint | undefined;
  if (sinceTime !== null) {
    sinceTimeNs = parseRfc3339Ns(sinceTime);
    if (sinceTimeNs === undefined) throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`);
    opts.sinceTime = sinceTime;
  }

  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push({ reason: "FieldValueInvalid", field: "tailLines", detail: `Invalid value: ${opts.tailLines}: must be greater than or equal to 0` });
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push({ reason: "FieldValueInvalid", field: "limitBytes", detail: `Invalid value: ${opts.limitBytes}: must be greater than 0` });
  if (opts.sinceSeconds !== undefined && sinceTimeNs !== undefined) {
    // field.NewPath("") prints as "[]" (a root path element without a name is shown as an empty subscript).
    errs.push({ reason: "FieldValueForbidden", field: "[]", detail: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified" });
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push({ reason: "FieldValueInvalid", field: "sinceSeconds", detail: `Invalid value: ${opts.sinceSeconds}: must be greater than 0` });
  }
  if (errs.length) throw invalid({ group: "", kind: "PodLogOptions" }, pod, errs);

  // The API server passes sinceTime on to the kubelet in whole seconds; the kubelet keeps lines at or after it.
  if (sinceTimeNs !== undefined) opts.sinceNs = truncateToSecond(sinceTimeNs);
  if (opts.sinceSeconds !== undefined) opts.sinceNs = nowNs - BigInt(opts.sinceSeconds) * 1_000_000_000n;
  return opts;
}

export { ApiStatusError };
