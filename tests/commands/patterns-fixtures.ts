/**
 * Log lines whose templates are known, for the patterns, export --with-pattern and triage tests: several services,
 * variable ids (hex, base64, UUID), e-mail addresses, numbers in key=value and JSON values, durations, quoted strings, and one rare
 * line. `expected` is the template the miner must give each generator template.
 */

import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

export interface KnownLine {
  service: string;
  template: string;
  msg: string;
}

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
const b64 = (r: () => number, n: number) => {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  // Alternating classes, as random base64 does often enough to be told from a word.
  return Array.from({ length: n }, (_, i) => A[(i % 3 === 0 ? 0 : i % 3 === 1 ? 26 : 52) + Math.floor(r() * (i % 3 === 2 ? 10 : 26))]).join("");
};
const uuid = (r: () => number) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const pick = <T>(r: () => number, a: readonly T[]) => a[Math.floor(r() * a.length)]!;

/** The generator's templates as the miner must render them. */
export const EXPECTED = {
  request: "request /items/<NUM> completed method=<*> status=<NUM> duration_ms=<NUM> trace_id=<ID>",
  relation: 'db query failed: relation "<*>" does not exist',
  throttled: '{"level":"warn",' + '"msg":"login throttled",' + '"user":"<EMAIL>",' + '"attempts":<NUM>}',
  cache: "cache miss for key session:<ID> after <DUR>",
  job: "job <UUID> finished in <DUR> rows=<NUM>",
  retry: "retrying upstream call attempt=<NUM> backoff=<DUR>",
  disk: "disk almost full on /var/lib/data",
} as const;

/** `n` lines, deterministic, mixed in a random order; every template but the last occurs often. */
export function knownLines(n: number, seed = 7): KnownLine[] {
  const r = mulberry32(seed);
  const out: KnownLine[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 6);
    if (k === 0) out.push({ service: "api", template: EXPECTED.request, msg: `request /items/${Math.floor(r() * 1e5)} completed method=${pick(r, ["GET", "POST", "PUT", "DELETE"])} status=${pick(r, [200, 201, 404, 500])} duration_ms=${Math.floor(r() * 900)} trace_id=${hex(r, 32)}` });
    else if (k === 1) out.push({ service: "db", template: EXPECTED.relation, msg: `db query failed: relation "${pick(r, ["orders", "users", "carts", "items", "payments"])}" does not exist` });
    else if (k === 2) out.push({ service: "auth", template: EXPECTED.throttled, msg: `{"level":"warn","msg":"login throttled","user":"${pick(r, ["ann", "bob", "cy", "dee"])}.${pick(r, ["lee", "moss"])}@example.com","attempts":${1 + Math.floor(r() * 9)}}` });
    else if (k === 3) out.push({ service: "api", template: EXPECTED.cache, msg: `cache miss for key session:${b64(r, 24)} after ${Math.floor(r() * 90)}ms` });
    else if (k === 4) out.push({ service: "worker", template: EXPECTED.job, msg: `job ${uuid(r)} finished in ${(r() * 9).toFixed(2)}s rows=${Math.floor(r() * 1e6)}` });
    else out.push({ service: "worker", template: EXPECTED.retry, msg: `retrying upstream call attempt=${1 + Math.floor(r() * 5)} backoff=${100 * (1 + Math.floor(r() * 8))}ms` });
  }
  out.splice(Math.floor(n / 2), 0, { service: "db", template: EXPECTED.disk, msg: "disk almost full on /var/lib/data" });
  return out;
}
