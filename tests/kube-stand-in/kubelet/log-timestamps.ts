/**
 * Log timestamps as the container runtime writes them and the kubelet prints them with `timestamps=true`:
 * nanoseconds since the epoch, printed in RFC 3339 with exactly nine fractional digits and `Z`
 * (types.RFC3339NanoFixed, "2006-01-02T15:04:05.000000000Z07:00"). The nanoseconds come from a monotonic clock
 * anchored to the wall clock, so lines written in the same millisecond still get distinct, increasing timestamps.
 */

const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Wall-clock nanoseconds since the epoch, monotonic within this process. */
export function nowNs(): bigint {
  return anchorNs + process.hrtime.bigint();
}

/** `2024-05-01T12:00:00.000000042Z` */
export function formatNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

/**
 * Parses RFC 3339 (with or without a fraction, `Z` or an offset) to nanoseconds since the epoch; undefined when it
 * is not a timestamp.
 */
export function parseRfc3339Ns(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** What `sinceTime` means once the API server has passed it on: whole seconds (metav1.Time's query encoding). */
export function truncateToSecond(ns: bigint): bigint {
  return (ns / 1_000_000_000n) * 1_000_000_000n;
}
