/**
 * One line of `pods/log?timestamps=true` → the runtime records it holds. The kubelet prefixes a record with its
 * timestamp and a space; a line the runtime split (CRI `P` records, 16 KiB in containerd) arrives either with one
 * prefix (kubelets that print continuations bare) or with a prefix before every part (older kubelets, and the
 * stand-in): `T1 part1T2 part2\n`. Records are what resuming dedups on, so both parts must be known with their
 * timestamps, and the message must not keep the inner prefixes.
 *
 * An inner prefix is taken as a record boundary only when its timestamp is later than the record before it and at
 * most PARTIAL_WINDOW_SEC after it: the runtime stamps the parts of one line as it reads them, so they increase,
 * while a timestamp an application printed inside its own message was taken before the runtime read it.
 */

import { compareInstant, parseRfc3339In } from "../../capture/timestamp.ts";

export interface LogRecord {
  sec: number;
  nsec: number;
  text: string;
}

const PARTIAL_WINDOW_SEC = 60;
/** `2006-01-02T15:04:05Z` is the shortest RFC 3339 text; `…05.000000000+00:00` the longest. */
const MIN_TS = 20;
const MAX_TS = 35;
const scratch = { sec: 0, nsec: 0 };

/**
 * The records of one line (without its newline). A line without a timestamp prefix (which a kubelet never sends
 * with timestamps=true) is one record stamped `fallback`.
 */
export function parseLogLine(line: string, fallback: { sec: number; nsec: number }): LogRecord[] {
  const space = line.indexOf(" ");
  if (space < MIN_TS || space > MAX_TS || !parseRfc3339In(line, 0, space, scratch)) {
    return [{ sec: fallback.sec, nsec: fallback.nsec, text: line }];
  }
  const first: LogRecord = { sec: scratch.sec, nsec: scratch.nsec, text: "" };
  const records = [first];
  let current = first;
  let textStart = space + 1;
  // Inner prefixes end like the first one did ("Z " for UTC nodes, by far the common case): look only there.
  const zulu = line.charCodeAt(space - 1) === 90;
  let from = textStart;
  for (;;) {
    const end = zulu ? line.indexOf("Z ", from) : offsetPrefixEnd(line, from);
    if (end < 0) break;
    const tsEnd = zulu ? end + 1 : end;
    const start = innerTimestamp(line, textStart, tsEnd);
    if (start >= 0 && follows(current, scratch)) {
      current.text = line.slice(textStart, start);
      current = { sec: scratch.sec, nsec: scratch.nsec, text: "" };
      records.push(current);
      textStart = tsEnd + 1;
    }
    from = tsEnd + 1;
  }
  current.text = line.slice(textStart);
  return records;
}

/** Where an RFC 3339 timestamp ending at `tsEnd` starts (parsed into `scratch`), or -1. */
function innerTimestamp(line: string, min: number, tsEnd: number): number {
  for (let start = tsEnd - MIN_TS; start >= Math.max(min, tsEnd - MAX_TS); start--) {
    // The date part, `dddd-dd-ddT`, before trying a parse.
    if (line.charCodeAt(start + 10) !== 84 || line.charCodeAt(start + 4) !== 45 || line.charCodeAt(start + 7) !== 45) continue;
    if (parseRfc3339In(line, start, tsEnd, scratch)) return start;
  }
  return -1;
}

/** The end of the next `…±hh:mm ` prefix candidate at or after `from`, for nodes whose runtime writes an offset. */
function offsetPrefixEnd(line: string, from: number): number {
  const re = /[+-]\d\d:\d\d /g;
  re.lastIndex = from;
  const m = re.exec(line);
  return m ? m.index + m[0].length - 1 : -1;
}

function follows(prev: { sec: number; nsec: number }, next: { sec: number; nsec: number }): boolean {
  const c = compareInstant(next.sec, next.nsec, prev.sec, prev.nsec);
  return c > 0 && next.sec - prev.sec <= PARTIAL_WINDOW_SEC;
}
