/**
 * What the log pane can filter and highlight by (upstream §5.2): a label filter (`key=value`, exact), a stack of
 * HIDE (`/!re`) and GREP (`/=re`) filters applied in push order, and a highlight regex. A regex matches an entry when
 * it matches the message or any label value.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import { compileRe2 } from "../../regex/re2.ts";

/** Tests entries against one regex; the label half is cached per label set (entries of a stream share it). */
export class EntryMatcher {
  readonly pattern: string;
  readonly re: RegExp;
  readonly #labelHits = new WeakMap<Labels, boolean>();

  constructor(pattern: string, re: RegExp) {
    this.pattern = pattern;
    this.re = new RegExp(re.source, re.flags.replace(/[gy]/g, ""));
  }

  /** null when the pattern is not valid RE2 syntax (the prompt then ignores it, as upstream does). */
  static compile(pattern: string): EntryMatcher | null {
    try {
      return new EntryMatcher(pattern, compileRe2(pattern));
    } catch {
      return null;
    }
  }

  test(e: Entry): boolean {
    if (this.re.test(e.msg)) return true;
    let hit = this.#labelHits.get(e.labels);
    if (hit === undefined) {
      hit = false;
      for (const k in e.labels) {
        if (this.re.test(e.labels[k]!)) {
          hit = true;
          break;
        }
      }
      this.#labelHits.set(e.labels, hit);
    }
    return hit;
  }
}

export interface StackedFilter {
  kind: "hide" | "grep";
  matcher: EntryMatcher;
}

export interface LabelFilter {
  key: string;
  value: string;
}

/** Label prompt input: "" clears (null), `key=value` (split at the first `=`, key non-empty) sets, anything else is unusable. */
export function parseLabelInput(input: string): LabelFilter | null | "unusable" {
  if (input === "") return null;
  const eq = input.indexOf("=");
  if (eq <= 0) return "unusable";
  return { key: input.slice(0, eq), value: input.slice(eq + 1) };
}

export function badgeOf(f: StackedFilter): string {
  return `${f.kind === "hide" ? "HIDE" : "GREP"}: /${f.matcher.pattern}`;
}

/** The label filter first, then the stack top-down in push order. Returns `entries` itself when nothing filters. */
export function applyFilters(entries: readonly Entry[], label: LabelFilter | null, stack: readonly StackedFilter[]): readonly Entry[] {
  if (label === null && stack.length === 0) return entries;
  const out: Entry[] = [];
  outer: for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (label !== null && e.labels[label.key] !== label.value) continue;
    for (let j = 0; j < stack.length; j++) {
      const f = stack[j]!;
      if (f.matcher.test(e) === (f.kind === "hide")) continue outer;
    }
    out.push(e);
  }
  return out;
}
