/**
 * Timestamps as the capture format writes them: RFC3339 with nanoseconds, trailing fractional zeros trimmed
 * (Go's RFC3339Nano), held as (sec, nsec) so no BigInt is needed on the hot path.
 */

export interface Instant {
  sec: number;
  nsec: number;
}

/** Go's zero time; upstream writes it for "unset" (e.g. `stopped` of a live capture). */
export const ZERO_TIME_TEXT = "0001-01-01T00:00:00Z";
const ZERO_TIME_SEC = -62135596800;

export function isZeroInstant(t: Instant): boolean {
  return t.sec === ZERO_TIME_SEC && t.nsec === 0;
}

export const ZERO_INSTANT: Instant = Object.freeze({ sec: ZERO_TIME_SEC, nsec: 0 });

let lastSec = -Infinity;
let lastNsec = 0;

/**
 * Wall-clock now with sub-millisecond digits (the monotonic clock's), never before an earlier answer in this process.
 * The wall clock, not timeOrigin plus the monotonic clock: that one stops while the machine sleeps or the VM is
 * paused, and then stays behind every other process's clock for the rest of this one (a CI run saw receive times
 * 25 s behind Date.now(), which we took for such a pause: it did not recur on rerun).
 * Composed in integers: as one float, `Date.now() + 0.9999…` rounds up to the next millisecond (a CI run saw it).
 */
export function nowInstant(): Instant {
  const ms = Date.now();
  const sec = Math.floor(ms / 1000);
  const nsec = (ms - sec * 1000) * 1_000_000 + Math.floor((performance.now() % 1) * 1_000_000);
  if (sec > lastSec || (sec === lastSec && nsec > lastNsec)) {
    lastSec = sec;
    lastNsec = nsec;
  }
  return { sec: lastSec, nsec: lastNsec };
}

export function compareInstant(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? aSec - bSec : aNsec - bNsec;
}

let cachedSec = Number.NaN;
let cachedPrefix = "";

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC; cached per second because consecutive entries nearly always share it. */
function secondPrefix(sec: number): string {
  if (sec === cachedSec) return cachedPrefix;
  const d = new Date(sec * 1000);
  const year = d.getUTCFullYear();
  const prefix =
    `${year < 0 ? "-" + pad(-year, 4) : pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  cachedSec = sec;
  cachedPrefix = prefix;
  return prefix;
}

function fraction(nsec: number): string {
  if (nsec === 0) return "";
  let digits = String(nsec).padStart(9, "0");
  let end = 9;
  while (digits.charCodeAt(end - 1) === 48) end--;
  return "." + digits.slice(0, end);
}

/** RFC3339Nano in UTC (`Z`), fraction trimmed like Go. */
export function formatInstant(sec: number, nsec: number): string {
  return secondPrefix(sec) + fraction(nsec) + "Z";
}

export function formatInstantOf(t: Instant): string {
  return formatInstant(t.sec, t.nsec);
}

/** Whole seconds in UTC, no fraction: `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatInstantSeconds(t: Instant): string {
  return secondPrefix(t.sec) + "Z";
}

let cachedDayText = "";
let cachedDaySec = 0;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * parseRfc3339 for the hot path of readers: charCode arithmetic and a per-day cache instead of a regex and Date
 * math per line (the regex version cost more than JSON.parse of the whole line). Same results; falls back to
 * parseRfc3339 for anything unusual.
 */
export function parseRfc3339Fast(s: string): Instant | null {
  const out = { sec: 0, nsec: 0 };
  return parseRfc3339In(s, 0, s.length, out) ? out : null;
}

/**
 * parseRfc3339Fast of `s.slice(from, to)` into `out`, without the slice or a result object: for scanners that find
 * timestamps inside larger text and parse millions of them. Returns false when it is not a timestamp.
 */
export function parseRfc3339In(s: string, from: number, to: number, out: { sec: number; nsec: number }): boolean {
  const n = to - from;
  if (n < 20 || s.charCodeAt(from + 10) !== 84 || s.charCodeAt(from + 13) !== 58 || s.charCodeAt(from + 16) !== 58) {
    return slowInto(s.slice(from, to), out);
  }
  if (cachedDayText === "" || !s.startsWith(cachedDayText, from)) {
    const day = s.slice(from, from + 10);
    const t = parseRfc3339(day + "T00:00:00Z");
    if (t === null) return false;
    cachedDayText = day;
    cachedDaySec = t.sec;
  }
  const hh = digits(s, from + 11, 2);
  const mm = digits(s, from + 14, 2);
  const ss = digits(s, from + 17, 2);
  if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 59) return false;
  let i = from + 19;
  let nsec = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < to && i - start < 9) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      nsec = nsec * 10 + d;
      i++;
    }
    if (i === start) return false;
    for (let k = i - start; k < 9; k++) nsec *= 10;
  }
  let sec = cachedDaySec + hh * 3600 + mm * 60 + ss;
  const z = s.charCodeAt(i);
  if (z === 90 && i === to - 1) {
    out.sec = sec;
    out.nsec = nsec;
    return true;
  }
  if ((z === 43 || z === 45) && i === to - 6 && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0) return false;
    sec -= (z === 43 ? 1 : -1) * (oh * 3600 + om * 60);
    out.sec = sec;
    out.nsec = nsec;
    return true;
  }
  return slowInto(s.slice(from, to), out);
}

// The minute of the last timestamp parseRfc3339Bytes read: `YYYY-MM-DDTHH:MM:` as bytes, and its instant.
const MINUTE_BYTES = 17;
const cachedMinute = new Uint8Array(MINUTE_BYTES);
let cachedMinuteSec = Number.NaN;

/**
 * parseRfc3339In of the latin1 text of buf[from, to), read from the bytes: a timestamp in the writers' form
 * (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`) costs a comparison with the last one's minute and its last few digits, not a
 * string per line — triage's frame tally reads one per capture line. Anything else goes the text way.
 */
export function parseRfc3339Bytes(buf: Buffer, from: number, to: number, out: { sec: number; nsec: number }): boolean {
  const n = to - from;
  if (n < 20 || n > 30 || buf[to - 1] !== 90) return parseLatin1(buf, from, to, out);
  let same = !Number.isNaN(cachedMinuteSec);
  for (let k = 0; same && k < MINUTE_BYTES; k++) same = buf[from + k] === cachedMinute[k];
  if (!same) {
    const minute = buf.toString("latin1", from, from + MINUTE_BYTES);
    const t = { sec: 0, nsec: 0 };
    if (!parseRfc3339In(minute + "00Z", 0, MINUTE_BYTES + 3, t)) return parseLatin1(buf, from, to, out);
    cachedMinute.set(buf.subarray(from, from + MINUTE_BYTES));
    cachedMinuteSec = t.sec;
  }
  const s1 = buf[from + 17]! - 48;
  const s2 = buf[from + 18]! - 48;
  if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return parseLatin1(buf, from, to, out);
  let nsec = 0;
  if (n > 20) {
    // `.` and 1–9 digits before the `Z`.
    if (buf[from + 19] !== 46 || n === 21) return parseLatin1(buf, from, to, out);
    for (let i = from + 20; i < to - 1; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return parseLatin1(buf, from, to, out);
      nsec = nsec * 10 + d;
    }
    for (let k = n - 21; k < 9; k++) nsec *= 10;
  }
  out.sec = cachedMinuteSec + s1 * 10 + s2;
  out.nsec = nsec;
  return true;
}

function parseLatin1(buf: Buffer, from: number, to: number, out: { sec: number; nsec: number }): boolean {
  const text = buf.toString("latin1", from, to);
  return parseRfc3339In(text, 0, text.length, out);
}

function slowInto(text: string, out: { sec: number; nsec: number }): boolean {
  const t = parseRfc3339(text);
  if (t === null) return false;
  out.sec = t.sec;
  out.nsec = t.nsec;
  return true;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses RFC3339 / RFC3339Nano (any offset) into an instant; `null` when the text is not such a timestamp. */
export function parseRfc3339(text: string): Instant | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (Number.isNaN(ms)) return null;
  // Date.UTC maps years 0..99 to 1900..1999; Go's zero time (year 1) must survive a round trip.
  let sec = Math.floor(ms / 1000);
  const yearNum = Number(y);
  if (yearNum < 100) {
    const fixed = new Date(0);
    fixed.setUTCFullYear(yearNum, month - 1, day);
    fixed.setUTCHours(hour, minute, second, 0);
    sec = Math.floor(fixed.getTime() / 1000);
  }
  if (sign !== undefined) {
    const offset = (Number(oh) * 60 + Number(om)) * 60;
    sec -= sign === "+" ? offset : -offset;
  }
  const nsec = frac === undefined ? 0 : Number(frac.padEnd(9, "0"));
  return { sec, nsec };
}

/** Parses Loki's decimal nanoseconds-since-epoch string; `null` if it is not an integer. */
export function parseEpochNanos(text: string): Instant | null {
  const t = text.trim();
  if (!/^-?\d{1,19}$/.test(t)) return null;
  if (t.length <= 15) {
    // Fits a double exactly.
    const n = Number(t);
    const sec = Math.floor(n / 1e9);
    return { sec, nsec: n - sec * 1e9 };
  }
  const ns = BigInt(t);
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

export function instantToEpochNanos(t: Instant): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}
