/**
 * Where the bulk of a capture's lines lies in time, and which lines are far outside it. One stray timestamp (a 2009
 * line from a README curl, a clock years off, a shipper parsing milliseconds as seconds) must not stretch a
 * timeline over decades: timelines are drawn over the bulk and the rest is counted as outliers. inspect feeds it
 * index time ranges, triage its buckets; both get the same answer for the same data (docs/time-outliers.md).
 *
 * The rule, in three steps over spans of lines sorted by time:
 * 1. Islands: consecutive spans belong together unless the gap between them exceeds the link distance —
 *    max(1 hour, 4 × the median gap between lines), so regularly sparse data (a line every two hours) stays one
 *    island. A span of n lines counts as n − 1 equal gaps over its width: it hides where its lines are.
 * 2. The bulk starts as the hull of the heavy islands: ≥ 5 % of all lines and either ≥ 10 lines or at least half
 *    as many as the heaviest island (so a handful of lines far away never counts as heavy next to a few more).
 *    Without any heavy island it is the heaviest one (the latest of equals: live data comes last).
 * 3. It grows by neighbouring islands no farther away than max(link distance, its own width).
 * What is left before and after it are the outliers.
 */

export interface LineSpan {
  fromSec: number;
  toSec: number;
  lines: number;
  /** The count is a lower bound: a far end of an index range, known to hold at least this many lines. */
  atLeast?: boolean;
}

export interface OutlierGroup {
  lines: number;
  fromSec: number;
  toSec: number;
  atLeast: boolean;
}

export interface BulkRange {
  fromSec: number;
  toSec: number;
  /** Per input span: whether it lies in the bulk. */
  inside: boolean[];
  before: OutlierGroup | null;
  after: OutlierGroup | null;
}

const MIN_LINK_SEC = 3600;
const LINK_GAPS = 4;
const HEAVY_SHARE = 0.05;
const HEAVY_LINES = 10;

interface Island {
  fromSec: number;
  toSec: number;
  lines: number;
  atLeast: boolean;
  members: number[];
}

/** The median of `[value, weight]` pairs. */
function weightedMedian(pairs: [number, number][]): number {
  const total = pairs.reduce((n, p) => n + p[1], 0);
  if (total === 0) return 0;
  pairs.sort((a, b) => a[0] - b[0]);
  let seen = 0;
  for (const [value, weight] of pairs) {
    seen += weight;
    if (seen * 2 > total) return value;
  }
  return pairs.at(-1)![0];
}

function islandsOf(spans: readonly LineSpan[]): { islands: Island[]; link: number } {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.fromSec - spans[b]!.fromSec || spans[a]!.toSec - spans[b]!.toSec);
  const gaps: [number, number][] = [];
  let reach = -Infinity;
  for (const i of order) {
    const s = spans[i]!;
    if (reach > -Infinity) gaps.push([Math.max(0, s.fromSec - reach), 1]);
    if (s.lines > 1) gaps.push([(s.toSec - s.fromSec) / (s.lines - 1), s.lines - 1]);
    reach = Math.max(reach, s.toSec);
  }
  const link = Math.max(MIN_LINK_SEC, LINK_GAPS * weightedMedian(gaps));
  const islands: Island[] = [];
  let cur: Island | null = null;
  for (const i of order) {
    const s = spans[i]!;
    if (cur === null || s.fromSec - cur.toSec > link) {
      cur = { fromSec: s.fromSec, toSec: s.toSec, lines: 0, atLeast: false, members: [] };
      islands.push(cur);
    }
    cur.toSec = Math.max(cur.toSec, s.toSec);
    cur.lines += s.lines;
    cur.atLeast ||= s.atLeast === true;
    cur.members.push(i);
  }
  return { islands, link };
}

function group(islands: readonly Island[]): OutlierGroup | null {
  if (islands.length === 0) return null;
  return {
    lines: islands.reduce((n, g) => n + g.lines, 0),
    fromSec: islands[0]!.fromSec,
    toSec: islands.reduce((t, g) => Math.max(t, g.toSec), -Infinity),
    atLeast: islands.some((g) => g.atLeast),
  };
}

/** Null when there are no lines. */
export function findBulk(spans: readonly LineSpan[]): BulkRange | null {
  const total = spans.reduce((n, s) => n + s.lines, 0);
  if (total <= 0) return null;
  const { islands, link } = islandsOf(spans);
  let heaviest = 0;
  for (let i = 1; i < islands.length; i++) if (islands[i]!.lines >= islands[heaviest]!.lines) heaviest = i;
  const most = islands[heaviest]!.lines;
  const heavy = (g: Island) => g.lines >= HEAVY_SHARE * total && (g.lines >= HEAVY_LINES || 2 * g.lines >= most);
  let lo = islands.findIndex(heavy);
  let hi = islands.findLastIndex(heavy);
  if (lo < 0) lo = hi = heaviest;
  let fromSec = islands[lo]!.fromSec;
  let toSec = islands[hi]!.toSec;
  for (;;) {
    const left = lo > 0 ? fromSec - islands[lo - 1]!.toSec : Infinity;
    const right = hi < islands.length - 1 ? islands[hi + 1]!.fromSec - toSec : Infinity;
    // The nearer neighbour first: joining it widens the bulk, which may let the other side join too.
    if (Math.min(left, right) > Math.max(link, toSec - fromSec)) break;
    if (left <= right) fromSec = islands[--lo]!.fromSec;
    else toSec = islands[++hi]!.toSec;
  }
  const inside = new Array<boolean>(spans.length).fill(false);
  for (let g = lo; g <= hi; g++) for (const i of islands[g]!.members) inside[i] = true;
  return { fromSec, toSec, inside, before: group(islands.slice(0, lo)), after: group(islands.slice(hi + 1)) };
}
