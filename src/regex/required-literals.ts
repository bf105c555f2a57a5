/**
 * Literals one of which every match of a pattern must contain (the idea of RE2's prefilter trees, simplified).
 * Readers scan the stored capture text for them and parse only lines that contain one: a necessary condition,
 * never a sufficient one, so the real regex still decides.
 */

import type { Node } from "./ast.ts";
import { parseRe2 } from "./parse.ts";
import { nonAsciiFoldPartners } from "./ascii-fold.ts";

const MAX_EXACT = 16;

interface Info {
  /** Every string the node can match, when that set is small and finite. */
  exact: Set<string> | null;
  /** One of these occurs in every match; null when nothing is known. */
  required: Set<string> | null;
  fold: boolean;
}

function best(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  // Longer shortest literal filters better; fewer alternatives scan faster.
  const score = (s: Set<string>) => Math.min(...[...s].map((x) => x.length)) * 4 - s.size;
  return score(b) > score(a) ? b : a;
}

function singleCodePoints(set: readonly number[]): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < set.length; i += 2) {
    if (set[i + 1]! - set[i]! + out.length >= 4) return null;
    for (let c = set[i]!; c <= set[i + 1]!; c++) out.push(String.fromCodePoint(c));
  }
  return out;
}

function info(n: Node): Info {
  switch (n.kind) {
    case "char": {
      const chars = singleCodePoints(n.set);
      if (chars === null) return { exact: null, required: null, fold: false };
      const fold = n.fold === true;
      const exact = new Set(fold ? chars.map((c) => c.toLowerCase()) : chars);
      return { exact, required: exact, fold };
    }
    case "assert":
      return { exact: new Set([""]), required: null, fold: false };
    case "group":
      return info(n.body);
    case "repeat": {
      const sub = info(n.sub);
      if (n.min === 0) return { exact: n.max === 0 ? new Set([""]) : null, required: null, fold: sub.fold };
      let exact: Set<string> | null = null;
      if (sub.exact && n.min === n.max && n.min <= 8) {
        exact = new Set([""]);
        for (let i = 0; i < n.min && exact; i++) exact = product(exact, sub.exact);
      }
      return { exact, required: exact ?? sub.required ?? sub.exact, fold: sub.fold };
    }
    case "alt": {
      const parts = n.items.map(info);
      const fold = parts.some((p) => p.fold);
      let exact: Set<string> | null = new Set();
      let required: Set<string> | null = new Set();
      for (const p of parts) {
        exact = exact && p.exact && exact.size + p.exact.size <= MAX_EXACT ? new Set([...exact, ...p.exact]) : null;
        const r = p.required ?? p.exact;
        required = required && r && ![...r].includes("") ? new Set([...required, ...r]) : null;
      }
      return { exact, required: exact && ![...exact].includes("") ? exact : required, fold };
    }
    case "concat": {
      let fold = false;
      let run: Set<string> | null = new Set([""]);
      let required: Set<string> | null = null;
      for (const item of n.items) {
        const p = info(item);
        fold ||= p.fold;
        const next: Set<string> | null = run && p.exact ? product(run, p.exact) : null;
        if (next !== null) {
          run = next;
          continue;
        }
        required = best(required, nonEmpty(run));
        required = best(required, p.required);
        run = p.exact ?? new Set([""]);
      }
      required = best(required, nonEmpty(run));
      return { exact: run && run.size <= MAX_EXACT ? run : null, required, fold };
    }
  }
}

function nonEmpty(s: Set<string> | null): Set<string> | null {
  return s && ![...s].includes("") ? s : null;
}

function product(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

// Characters JSON or Go's HTML escaping would rewrite in the stored line: a literal containing one may not appear
// verbatim even though the decoded message contains it.
const ESCAPED_IN_STORAGE = /["\\<>&\u0000-\u001f\u2028\u2029]/;

/**
 * The prefilter regex, carrying its literals when they can be searched for as plain bytes: `literals` case-sensitive,
 * `foldLiterals` ASCII-case-insensitive (no character outside ASCII folds to one of theirs).
 */
export type PrefilterRegExp = RegExp & { literals?: readonly string[]; foldLiterals?: readonly string[] };

/**
 * A global RegExp over stored capture text that every line able to match `pattern` (in its message or a label
 * value) matches too; null when no useful literal can be proven.
 */
export function requiredLiteralPrefilter(pattern: string, extraFlags = ""): PrefilterRegExp | null {
  let root: Node;
  try {
    root = parseRe2(pattern, { fold: extraFlags.includes("i"), multiline: false, dotAll: false, ungreedy: false }).root;
  } catch {
    return null;
  }
  const i = info(root);
  const lits = i.required ?? nonEmpty(i.exact);
  if (lits === null || lits.size === 0) return null;
  const list = [...lits];
  if (list.some((l) => l.length < 2 || ESCAPED_IN_STORAGE.test(l))) return null;
  // JS and RE2 agree on case folding for ASCII; elsewhere the literal would need RE2's exact fold tables.
  if (i.fold && list.some((l) => /[^\x00-\x7f]/.test(l))) return null;
  const alternatives = list.map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  // The prefilter has no `u` flag, so `k` would not find U+212A that the pattern's `k` matches: a line holding a
  // partner at all is a candidate, found as the character in decoded text and as its UTF-8 bytes in a latin1 view.
  const partners = i.fold ? nonAsciiFoldPartners(list) : [];
  for (const p of partners) alternatives.push(p, latin1Bytes(p));
  const source = alternatives.join("|");
  const re: PrefilterRegExp = new RegExp(source, i.fold ? "gi" : "g");
  if (!i.fold) re.literals = list;
  else if (partners.length === 0) re.foldLiterals = list;
  return re;
}

/** A character's UTF-8 bytes, one character each: how it reads in a latin1 view of stored bytes. */
function latin1Bytes(c: string): string {
  return Buffer.from(c).toString("latin1");
}
