/** Go's fmt renderings that diff's text and JSON layouts inherit from upstream: `%.0f`, `%v` of a list, Duration. */

/**
 * Go's `%.0f`: correctly rounded, exact halves to even (2.5 → "2"; toFixed(0) says "3"), a negative fraction
 * keeps its sign ("-0").
 */
export function goFixed0(x: number): string {
  const floor = Math.floor(x);
  if (x - floor === 0.5) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even === 0 && x < 0 ? "-" : "") + String(even);
  }
  return x.toFixed(0);
}

/** Go's `%v` of a []string: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** Go's `time.Duration` range; a difference outside it saturates, as `time.Time.Sub` does. */
export const MIN_DURATION_NS = -(2n ** 63n);
export const MAX_DURATION_NS = 2n ** 63n - 1n;

export function clampDuration(ns: bigint): bigint {
  return ns < MIN_DURATION_NS ? MIN_DURATION_NS : ns > MAX_DURATION_NS ? MAX_DURATION_NS : ns;
}

/** `v` with `digits` fractional digits, trailing zeros (and a bare point) dropped: Go's fmtFrac + fmtInt. */
function withFraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(digits, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}

/**
 * Go's `time.Duration.String()`: `0s`, `1.5µs`, `12ms`, `2s`, `1m30s`, `1h0m0s`, `-2562047h47m16.854775808s`.
 * @example goDuration(3_600_000_000_000n) // "1h0m0s"
 */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let text: string;
  if (u < 1_000n) text = `${u}ns`;
  else if (u < 1_000_000n) text = `${withFraction(u, 3)}µs`;
  else if (u < 1_000_000_000n) text = `${withFraction(u, 6)}ms`;
  else {
    const secs = u / 1_000_000_000n;
    const s = `${withFraction(u % 60_000_000_000n, 9)}s`;
    const minutes = secs / 60n;
    if (minutes === 0n) text = s;
    else {
      const hours = minutes / 60n;
      text = hours === 0n ? `${minutes}m${s}` : `${hours}h${minutes % 60n}m${s}`;
    }
  }
  return (neg ? "-" : "") + text;
}

// TypeScript's lib does not declare JSON.rawJSON yet; Bun (JavaScriptCore) has it.
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** An int64 as an exact JSON number (JSON.stringify of a double would round beyond 2^53). */
export function jsonInt64(v: bigint): unknown {
  return rawJSON(v.toString());
}
