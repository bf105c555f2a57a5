/**
 * The built-in patterns in upstream's fixed order — the order a bare `--redact` applies them in, each over the
 * previous one's output (credit_card must precede phone, or phone takes a card's last ten digits).
 */

import { RedactConfigError } from "./config-error.ts";
import { bearerRule } from "./bearer.ts";
import { creditCardRule } from "./credit-card.ts";
import { emailRule } from "./email.ts";
import { ipV4Rule } from "./ip-v4.ts";
import { jwtRule } from "./jwt.ts";
import { phoneRule } from "./phone.ts";
import type { Rule } from "./rule.ts";
import { ssnRule } from "./ssn.ts";
import { withPrefilter } from "./prefilter.ts";

const BUILTINS: readonly Rule[] = [creditCardRule, emailRule, jwtRule, bearerRule, ipV4Rule, ssnRule, phoneRule].map(withPrefilter);

export const BUILTIN_NAMES: readonly string[] = BUILTINS.map((rule) => rule.name);

/** Built-in rules for `names`, in the order given. Throws for an unknown name. */
export function builtinRules(names: readonly string[]): Rule[] {
  return names.map((name) => {
    const rule = BUILTINS.find((r) => r.name === name);
    if (!rule) throw unknownPattern(name);
    return rule;
  });
}

export function unknownPattern(name: string): RedactConfigError {
  return new RedactConfigError(`unknown redaction pattern: ${name} (valid: ${BUILTIN_NAMES.join(", ")})`);
}
