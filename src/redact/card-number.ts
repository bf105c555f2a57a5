/**
 * Is this a payment card number? Luhn alone passes one random digit string in ten: on real access logs every
 * Luhn-valid "card" turned out to be a 13-digit millisecond timestamp (1700000000000…). Requiring a real issuer
 * prefix (IIN) with a length that network issues rules those out — timestamps start with 1, no network does.
 */

import { HYPHEN, isDigit, SPACE } from "./chars.ts";

interface Network {
  /** Inclusive ranges of leading digits; both ends have the same number of digits. */
  prefixes: readonly (readonly [number, number])[];
  lengths: readonly number[];
}

const span = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Maestro's 56–69 overlaps Discover and UnionPay; any one network accepting the number is enough. */
const NETWORKS: readonly Network[] = [
  /* Visa */ { prefixes: [[4, 4]], lengths: [13, 16, 19] },
  /* Mastercard, incl. the 2-series */ { prefixes: [[51, 55], [2221, 2720]], lengths: [16] },
  /* American Express */ { prefixes: [[34, 34], [37, 37]], lengths: [15] },
  /* Discover */ { prefixes: [[6011, 6011], [644, 649], [65, 65]], lengths: span(16, 19) },
  /* Diners Club */ { prefixes: [[300, 305], [36, 36], [38, 39]], lengths: span(14, 19) },
  /* JCB */ { prefixes: [[3528, 3589]], lengths: span(16, 19) },
  /* UnionPay */ { prefixes: [[62, 62]], lengths: span(16, 19) },
  /* Maestro (issues 12–19 digits; candidates are never shorter than 13) */ { prefixes: [[50, 50], [56, 69]], lengths: span(13, 19) },
];

export const MIN_DIGITS = 13;
export const MAX_DIGITS = 19;

/** `text` may contain spaces and hyphens between digits; anything else disqualifies it. */
export function isCardNumber(text: string): boolean {
  let digits = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits += text[i];
    else if (c !== SPACE && c !== HYPHEN) return false;
  }
  return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS && luhnValid(digits) && issued(digits);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function issued(digits: string): boolean {
  return NETWORKS.some(
    (net) =>
      net.lengths.includes(digits.length) &&
      net.prefixes.some(([lo, hi]) => {
        const prefix = Number(digits.slice(0, String(lo).length));
        return prefix >= lo && prefix <= hi;
      }),
  );
}
