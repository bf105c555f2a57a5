/**
 * Kubernetes resource quantities (`16Mi`, `25m`, `1.5Gi`, `1e3`), the grammar of apimachinery's ParseQuantity, held
 * exactly (bigints, no floats) so the sidecar's limit can be twice its request for any value. Upstream "doubles"
 * the leading integer and keeps the rest as text, so `1.5Gi` became `2.5Gi` (§22.4 QUIRK); here it is `3Gi`.
 */

/** sign, number, suffix; an exponent suffix is tried before the SI letter `E` (exa), as apimachinery does. */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export interface Quantity {
  negative: boolean;
  /** The number's digits without the point: `1.5` → 15n. */
  digits: bigint;
  /** How many of those digits follow the point: `1.5` → 1. */
  scale: number;
  /** As written: `Mi`, `m`, `e3`, or "" for none. */
  suffix: string;
}

export function parseQuantity(text: string): Quantity | null {
  const m = QUANTITY.exec(text);
  if (m === null) return null;
  const [, sign, number, suffix = ""] = m;
  const [whole, frac = ""] = number!.split(".");
  return { negative: sign === "-", digits: BigInt((whole || "0") + frac), scale: frac.length, suffix };
}

/**
 * The flag check of §22.3 validation 2: null when `text` is a quantity a container's resources can take, else the
 * message. Negative values pass apimachinery's parser but the API server refuses them in resources, so they are
 * refused here, before any cluster call.
 */
export function quantityProblem(flag: string, text: string): string | null {
  const q = parseQuantity(text);
  if (q !== null && !(q.negative && q.digits !== 0n)) return null;
  return `invalid ${flag} "${text}": must be a valid Kubernetes resource quantity (e.g. 16Mi, 25m, 100m, 64Mi)`;
}

function formatNumber(digits: bigint, scale: number): string {
  const s = digits.toString().padStart(scale + 1, "0");
  if (scale === 0) return s;
  const whole = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, "");
  return frac === "" ? whole : `${whole}.${frac}`;
}

/**
 * Twice the quantity, in the same suffix: `16Mi` → `32Mi`, `25m` → `50m`, `1.5Gi` → `3Gi`, `0.5` → `1`, `1e3` → `2e3`.
 * Throws on text that is not a quantity (callers validate first).
 */
export function doubleQuantity(text: string): string {
  const q = parseQuantity(text);
  if (q === null) throw new Error(`not a quantity: ${text}`);
  const number = formatNumber(q.digits * 2n, q.scale);
  return `${q.negative && q.digits !== 0n ? "-" : ""}${number}${q.suffix}`;
}

/** Upstream's rule, for telling the user when ours differs: leading integer doubled, the rest kept as written. */
export function upstreamDoubleQuantity(text: string): string {
  const m = /^(\d+)(.*)$/s.exec(text);
  return m === null ? text : `${BigInt(m[1]!) * 2n}${m[2]}`;
}

/** The exact value as a fraction num/den (den > 0), for comparing quantities written differently. */
export function asFraction(q: Quantity): { num: bigint; den: bigint } {
  let num = q.negative ? -q.digits : q.digits;
  let den = 10n ** BigInt(q.scale);
  if (q.suffix in BINARY_POWER) num *= 1024n ** BigInt(BINARY_POWER[q.suffix]!);
  else {
    const exp = q.suffix in DECIMAL_EXPONENT ? DECIMAL_EXPONENT[q.suffix]! : Number(q.suffix.slice(1));
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num, den };
}

/**
 * Whether two quantity texts are the same amount (`1.5Gi` = `1536Mi`, `0.1` = `100m`): the API server stores
 * quantities in canonical form, so the sidecar read back may spell its resources differently from how tap wrote them.
 */
export function sameQuantity(a: string, b: string): boolean {
  const qa = parseQuantity(a);
  const qb = parseQuantity(b);
  if (qa === null || qb === null) return a === b;
  const fa = asFraction(qa);
  const fb = asFraction(qb);
  return fa.num * fb.den === fb.num * fa.den;
}
