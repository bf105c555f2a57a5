/**
 * The production-namespace test of §22.2: label `env` or `environment` is `prod`/`production`, or `logtap.dev/prod`
 * is `true`. Values are compared case-insensitively (upstream compares exactly): this guard only ever asks for
 * `--allow-prod`, so `env: Production` should trip it rather than slip through.
 */

const PROD_VALUES = new Set(["prod", "production"]);

/** The label that marks the namespace as production (`env=prod`), or null when none does. */
export function productionLabel(labels: Record<string, string> | undefined | null): string | null {
  if (!labels) return null;
  for (const key of ["env", "environment"]) {
    const v = labels[key];
    if (v !== undefined && PROD_VALUES.has(v.toLowerCase())) return `${key}=${v}`;
  }
  const flag = labels["logtap.dev/prod"];
  if (flag !== undefined && flag.toLowerCase() === "true") return `logtap.dev/prod=${flag}`;
  return null;
}

export function isProductionNamespace(labels: Record<string, string> | undefined | null): boolean {
  return productionLabel(labels) !== null;
}

/** §22.3 step 6's refusal. */
export function productionRefusal(namespace: string): string {
  return `namespace "${namespace}" appears to be production (use --allow-prod to override)`;
}

/** §22.3 step 6's warning when `--allow-prod` is given. */
export function productionWarning(namespace: string): string {
  return `WARNING: tapping production namespace "${namespace}"`;
}
