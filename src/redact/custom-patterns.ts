/**
 * The custom patterns file (`--redact-patterns`): a YAML list of `{name, pattern, replacement}` applied after the
 * built-ins, in file order. Patterns are RE2 syntax (translated, see src/regex/re2.ts) and replacements use Go's
 * `$1`/`${name}` expansion. A pattern that could backtrack catastrophically is refused at load time: it would run
 * on every received line, and one bad line would stall the receiver.
 */

import { RedactConfigError } from "./config-error.ts";
import { readFile } from "node:fs/promises";
import { isBacktrackingRisk, translateRe2 } from "../regex/re2.ts";
import { isCardNumber } from "./card-number.ts";
import { replaceCounted } from "./replace.ts";
import { expandTemplate, parseGoTemplate, type Template, templateToJs } from "./replacement.ts";
import type { Rule } from "./rule.ts";

interface PatternEntry {
  name: string;
  pattern: string;
  replacement: string;
}

export async function loadCustomRules(path: string): Promise<Rule[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new RedactConfigError(`read patterns file: ${describeReadError(err, path)}`);
  }
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(text);
  } catch (err) {
    throw new RedactConfigError(`parse patterns file: ${firstLine(err)}`);
  }
  return entries(doc).map(compileRule);
}

function entries(doc: unknown): PatternEntry[] {
  // An empty file is no patterns, as with upstream's yaml.Unmarshal.
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new RedactConfigError("parse patterns file: expected a list of {name, pattern, replacement}");
  return doc.map((item, i) => entry(item, i + 1));
}

function entry(item: unknown, n: number): PatternEntry {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new RedactConfigError(`parse patterns file: entry ${n}: expected a mapping with name, pattern and replacement`);
  }
  const fields = item as Record<string, unknown>;
  const name = scalar(fields.name, n, "name");
  if (name === "") throw new RedactConfigError(`parse patterns file: entry ${n}: missing name`);
  const pattern = scalar(fields.pattern, n, "pattern");
  if (pattern === "") {
    // Upstream's troubleshooting page calls the key `regex`; the code has always read `pattern`.
    const hint = "regex" in fields ? " (the key is `pattern`, not `regex`)" : "";
    throw new RedactConfigError(`parse patterns file: entry ${n} (${name}): missing pattern${hint}`);
  }
  return { name, pattern, replacement: scalar(fields.replacement, n, "replacement") };
}

/** YAML reads `123` or `true` as non-strings; Go's decoder would have kept their text, so do the same. */
function scalar(value: unknown, n: number, key: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new RedactConfigError(`parse patterns file: entry ${n}: ${key} must be a string`);
}

function compileRule({ name, pattern, replacement }: PatternEntry): Rule {
  let re: RegExp;
  let template: Template;
  let js: string;
  try {
    const translated = translateRe2(pattern, "g");
    re = new RegExp(translated.source, translated.flags);
    template = parseGoTemplate(replacement, translated.groupNames);
    js = templateToJs(template);
  } catch (err) {
    throw new RedactConfigError(`compile pattern ${name}: ${firstLine(err)}`);
  }
  const risk = isBacktrackingRisk(pattern);
  if (risk !== null) {
    throw new RedactConfigError(`compile pattern ${name}: pattern may backtrack catastrophically (${risk}); rewrite it without nested quantifiers`);
  }
  if (name === "credit_card") return cardRule(name, re, template);
  return { name, apply: (msg, hits) => replaceCounted(msg, re, js, hits) };
}

/** Upstream gives any pattern named credit_card the card check, and counts it per replaced match like the built-in. */
function cardRule(name: string, re: RegExp, template: Template): Rule {
  return {
    name,
    apply: (msg, hits) =>
      msg.replace(re, (...args: (string | undefined)[]) => {
        const match = args[0]!;
        if (!isCardNumber(match)) return match;
        hits.count++;
        // args is [match, group 1, …, group n, offset, input]; the template only refers to groups 0..n.
        return expandTemplate(template, args);
      }),
  };
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
};

/** Go's wording (`open <path>: no such file or directory`), which users of the Go tool already know. */
function describeReadError(err: unknown, path: string): string {
  const code = (err as { code?: string }).code;
  const text = code === undefined ? undefined : ERRNO_TEXT[code];
  if (text === undefined) return firstLine(err);
  return `${code === "EISDIR" ? "read" : "open"} ${path}: ${text}`;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split("\n")[0]!;
}
