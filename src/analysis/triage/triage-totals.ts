/**
 * The whole capture's counts, merged from unit tallies **in plan order** (file order, then frame order). Merging in
 * that order whatever thread scanned a unit makes every result — first examples, ties, the signature cap, the
 * templates — the same for any `--jobs`.
 *
 * Error signatures are grouped by template: each unit's templates are clustered into one miner by the same rules
 * (src/analysis/patterns/merge.ts), whose final patterns are the error groups, counted exactly however many
 * distinct messages they hold. The per-message signatures are kept (bounded, as before) to show a group that holds
 * one normalised message as that message, upstream's signature.
 */

import { MaskedLine, maskMessage } from "../patterns/masks.ts";
import { MinedPatterns } from "../patterns/finish.ts";
import { PatternMiner } from "../patterns/miner.ts";
import { statsFromWire, templateFromWire } from "../patterns/template-wire.ts";
import { mergeTemplates } from "../patterns/merge.ts";
import type { TallyWire, SignatureTally } from "./unit-tally.ts";

export interface LabelValueTally {
  lines: number;
  errors: number;
}

export interface ServiceErrors {
  first: string;
  steps: Map<number, number>;
}

/** A signature as the totals keep it: its lines, and the template (of `TriageTotals.miner`) it went to, -1 for none. */
export interface TotalSignature {
  count: number;
  template: number;
}

/** One error group: a template's lines, shown as its one normalised message or as the template. */
export interface ErrorGroup extends SignatureTally {
  signature: string;
}

export class TriageTotals {
  lines = 0;
  errors = 0;
  /** Earliest/latest entry timestamp; null until a line was seen. */
  from: { sec: number; nsec: number } | null = null;
  to: { sec: number; nsec: number } | null = null;
  readonly buckets = new Map<number, LabelValueTally>();
  readonly signatures = new Map<string, TotalSignature>();
  /**
   * The templates of every error signature. Up to twice `--max-signatures` of them, as the messages between prunes,
   * so that the groups listed — the most frequent `--max-signatures` — are exact in practice.
   */
  readonly miner: PatternMiner;
  readonly talkers = new Map<string, Map<string, LabelValueTally>>();
  readonly services = new Map<string, ServiceErrors>();
  /** Distinct signatures seen: exact unless `pruned`, then a lower bound. */
  distinctSignatures = 0;
  pruned = false;
  readonly #maxSignatures: number;

  constructor(maxSignatures: number) {
    this.#maxSignatures = maxSignatures;
    this.miner = new PatternMiner(2 * maxSignatures);
  }

  absorb(w: TallyWire): void {
    this.lines += w.lines;
    this.errors += w.errors;
    if (w.span.length === 4) {
      const [fs, fn, ts, tn] = w.span as [number, number, number, number];
      if (this.from === null || fs < this.from.sec || (fs === this.from.sec && fn < this.from.nsec)) this.from = { sec: fs, nsec: fn };
      if (this.to === null || ts > this.to.sec || (ts === this.to.sec && tn > this.to.nsec)) this.to = { sec: ts, nsec: tn };
    }
    for (let i = 0; i < w.buckets.length; i += 3) {
      const b = this.buckets.get(w.buckets[i]!);
      if (b === undefined) this.buckets.set(w.buckets[i]!, { lines: w.buckets[i + 1]!, errors: w.buckets[i + 2]! });
      else {
        b.lines += w.buckets[i + 1]!;
        b.errors += w.buckets[i + 2]!;
      }
    }
    const { examples } = w.patterns;
    const placed = mergeTemplates(this.miner, w.patterns.templates.map((t, id) => templateFromWire(t, id, examples)), statsFromWire(w.patterns.ungrouped, examples));
    for (let k = 0; k < w.signatures.length; k++) {
      const [sig, count] = w.signatures[k]!;
      const t = this.signatures.get(sig);
      if (t !== undefined) {
        t.count += count;
        continue;
      }
      const unitTemplate = w.patterns.ofSignature[k]!;
      this.signatures.set(sig, { count, template: unitTemplate < 0 ? -1 : (placed[unitTemplate]?.id ?? -1) });
    }
    for (const [key, value, lines, errors] of w.talkers) {
      let values = this.talkers.get(key);
      if (values === undefined) this.talkers.set(key, (values = new Map()));
      const v = values.get(value);
      if (v === undefined) values.set(value, { lines, errors });
      else {
        v.lines += lines;
        v.errors += errors;
      }
    }
    for (const [name, first, steps] of w.services) {
      let s = this.services.get(name);
      if (s === undefined) this.services.set(name, (s = { first, steps: new Map() }));
      for (let i = 0; i < steps.length; i += 2) s.steps.set(steps[i]!, (s.steps.get(steps[i]!) ?? 0) + steps[i + 1]!);
    }
    this.distinctSignatures = Math.max(this.distinctSignatures, this.signatures.size);
    // Memory bound: messages the normaliser cannot fold (unique ids in free text) would otherwise keep one entry per
    // error line. Keeping twice the cap between prunes leaves the frequent signatures exact in practice.
    if (this.signatures.size > 2 * this.#maxSignatures) {
      this.pruned = true;
      this.#prune(this.#maxSignatures);
    }
  }

  /**
   * Keeps the `n` most frequent signatures without sorting (this runs often on high-cardinality captures): a count
   * threshold from a histogram, and among signatures at the threshold the ones met first — merge order is plan
   * order, so this is as deterministic as a sort by name.
   */
  #prune(n: number): void {
    const perCount = new Map<number, number>();
    for (const t of this.signatures.values()) perCount.set(t.count, (perCount.get(t.count) ?? 0) + 1);
    const counts = [...perCount.keys()].sort((a, b) => b - a);
    let above = 0;
    let threshold = 0;
    for (const c of counts) {
      threshold = c;
      if (above + perCount.get(c)! >= n) break;
      above += perCount.get(c)!;
    }
    let atThreshold = n - above;
    for (const [sig, t] of this.signatures) {
      if (t.count > threshold) continue;
      if (t.count === threshold && atThreshold > 0) atThreshold--;
      else this.signatures.delete(sig);
    }
  }

  /** Signatures by count (descending), then signature (ascending) — upstream's order had random ties (Q13). */
  rankedSignatures(): [string, TotalSignature][] {
    return [...this.signatures].sort(bySignatureRank);
  }

  /**
   * The error groups, by count descending then signature, at most `--max-signatures`, and how many there were
   * (at least, when error lines fell beyond the template cap) when that cut; null when nothing was cut.
   */
  errorGroups(): { groups: ErrorGroup[]; cappedFrom: number | null } {
    // The most frequent messages are the ones a group may be shown as; the rare rest need not be masked again.
    this.capSignatures();
    const mined = new MinedPatterns(this.miner);
    const line = new MaskedLine();
    // A group shows its normalised message when one message accounts for all its lines.
    const only = new Map<object, [string, number] | null>();
    let outside = 0;
    for (const [sig, t] of this.signatures) {
      if (t.template < 0) {
        outside++;
        continue;
      }
      maskMessage(sig, line);
      const p = mined.assign(this.miner.templates[t.template]!, line.tokens);
      only.set(p, only.has(p) ? null : [sig, t.count]);
    }
    const groups = mined.patterns.map((p): ErrorGroup => {
      const one = only.get(p);
      const signature = one != null && one[1] === p.stats.count ? one[0] : p.text;
      return { signature, count: p.stats.count, firstSec: p.stats.firstSec, firstNsec: p.stats.firstNsec, example: p.stats.example };
    });
    groups.sort((a, b) => b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
    const total = groups.length + (mined.ungrouped.count > 0 ? Math.max(1, outside) : 0);
    if (total <= this.#maxSignatures) return { groups, cappedFrom: null };
    return { groups: groups.slice(0, this.#maxSignatures), cappedFrom: total };
  }

  /** Applies the final cap to the messages; returns how many distinct ones there were (at least) when it had to cut. */
  capSignatures(): number | null {
    if (this.signatures.size <= this.#maxSignatures && this.distinctSignatures <= this.#maxSignatures) return null;
    this.#keepTop(this.#maxSignatures);
    return this.distinctSignatures;
  }

  #keepTop(n: number): void {
    const keep = this.rankedSignatures().slice(0, n);
    this.signatures.clear();
    for (const [sig, t] of keep) this.signatures.set(sig, t);
  }
}

export function bySignatureRank(a: [string, { count: number }], b: [string, { count: number }]): number {
  return b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}
