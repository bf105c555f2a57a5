/**
 * PII redaction of log messages (labels are never touched), applied in the receiver before a line reaches the TUI,
 * the writer or disk. See docs/redaction.md.
 *
 * @example
 * const redactor = await createRedactor({ names: parseRedactFlag(true) ?? [], onHit: (pattern, n) => redactions.inc(pattern, n) });
 * redactor.redact("paid with 4111 1111 1111 1111"); // "paid with [REDACTED:cc]"
 */

import type { EntryBatch } from "../model/entry.ts";
import { builtinRules } from "./builtins.ts";
import { loadCustomRules } from "./custom-patterns.ts";
import type { HitCount, Rule } from "./rule.ts";

export { BUILTIN_NAMES } from "./builtins.ts";
export { parseRedactFlag } from "./flag.ts";
export { RedactConfigError } from "./config-error.ts";

export interface Redactor {
  /** Active pattern names: the built-ins in the order given, then the custom ones (metadata.json `redaction.patterns`). */
  readonly patterns: readonly string[];
  redact(msg: string): string;
}

export interface RedactorOptions {
  /** Built-in pattern names, e.g. from parseRedactFlag. */
  names: readonly string[];
  /** YAML file of custom patterns, applied after the built-ins. */
  customFile?: string;
  /** Called once per pattern per message that it hit: `count` matches for credit_card, 1 for every other pattern. */
  onHit?: (pattern: string, count: number) => void;
}

export async function createRedactor(options: RedactorOptions): Promise<Redactor> {
  const rules = builtinRules(options.names);
  if (options.customFile) rules.push(...(await loadCustomRules(options.customFile)));
  return new RuleRedactor(rules, options.onHit);
}

/** Redacts every entry's message in place. */
export function redactBatch(redactor: Redactor, batch: EntryBatch): void {
  for (const entry of batch.entries) entry.msg = redactor.redact(entry.msg);
}

class RuleRedactor implements Redactor {
  readonly patterns: readonly string[];
  readonly #rules: readonly Rule[];
  readonly #onHit: ((pattern: string, count: number) => void) | undefined;
  readonly #hits: HitCount = { count: 0 };

  constructor(rules: readonly Rule[], onHit: ((pattern: string, count: number) => void) | undefined) {
    this.#rules = rules;
    this.#onHit = onHit;
    this.patterns = Object.freeze(rules.map((rule) => rule.name));
  }

  redact(msg: string): string {
    const hits = this.#hits;
    for (const rule of this.#rules) {
      hits.count = 0;
      msg = rule.apply(msg, hits);
      if (hits.count > 0) this.#onHit?.(rule.name, hits.count);
    }
    return msg;
  }
}
