/**
 * `--alert-rules rules.yaml` (upstream §3.12): rules over receiver stats, evaluated every second; a rule fires once
 * when its condition becomes true and re-arms when it becomes false again.
 */

import { readFileSync } from "node:fs";

export const ALERT_METRICS = ["logs_dropped", "drop_rate", "disk_pct", "logs_received"] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
const OPS = { gt: (a: number, b: number) => a > b, lt: (a: number, b: number) => a < b, gte: (a: number, b: number) => a >= b, lte: (a: number, b: number) => a <= b };
export type AlertOp = keyof typeof OPS;

export interface AlertRule {
  name: string;
  metric: AlertMetric;
  op: AlertOp;
  threshold: number;
  detail: string;
}

export class AlertRulesError extends Error {}

export function parseAlertRules(text: string): AlertRule[] {
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(text);
  } catch (e) {
    throw new AlertRulesError(`parse: ${(e as Error).message.split("\n")[0]}`);
  }
  const rules = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) throw new AlertRulesError("expected a top-level `rules:` list");
  const seen = new Set<string>();
  return rules.map((r: Record<string, unknown>, i) => {
    if (typeof r !== "object" || r === null) throw new AlertRulesError(`rule ${i + 1}: expected a mapping`);
    const name = typeof r.name === "string" ? r.name.trim() : "";
    if (name === "") throw new AlertRulesError("alert rule missing name");
    if (seen.has(name)) throw new AlertRulesError(`duplicate alert rule name: ${name}`);
    seen.add(name);
    if (!ALERT_METRICS.includes(r.metric as AlertMetric)) throw new AlertRulesError(`unknown alert metric: ${String(r.metric)}`);
    if (!(typeof r.op === "string" && r.op in OPS)) throw new AlertRulesError(`unknown alert operator: ${String(r.op)}`);
    const threshold = Number(r.threshold);
    if (r.threshold === undefined || Number.isNaN(threshold)) throw new AlertRulesError(`rule ${name}: threshold must be a number`);
    return { name, metric: r.metric as AlertMetric, op: r.op as AlertOp, threshold, detail: typeof r.detail === "string" ? r.detail : "" };
  });
}

export function loadAlertRules(path: string): AlertRule[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new AlertRulesError(`read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
  }
  return parseAlertRules(text);
}

export interface AlertSnapshot {
  logsReceived: number;
  logsDropped: number;
  diskUsage: number;
  maxDisk: number;
}

/** Keeps the firing state between evaluations; returns the rules that just started firing. */
export class AlertEvaluator {
  readonly #rules: AlertRule[];
  readonly #firing = new Set<string>();
  #lastDropped: number | null = null;

  constructor(rules: AlertRule[]) {
    this.#rules = rules;
  }

  evaluate(s: AlertSnapshot): AlertRule[] {
    const values: Record<AlertMetric, number> = {
      logs_dropped: s.logsDropped,
      logs_received: s.logsReceived,
      drop_rate: s.logsDropped - (this.#lastDropped ?? s.logsDropped),
      disk_pct: s.maxDisk > 0 ? (s.diskUsage * 100) / s.maxDisk : 0,
    };
    this.#lastDropped = s.logsDropped;
    const fired: AlertRule[] = [];
    for (const r of this.#rules) {
      const on = OPS[r.op](values[r.metric], r.threshold);
      if (on && !this.#firing.has(r.name)) {
        this.#firing.add(r.name);
        fired.push(r);
      } else if (!on) this.#firing.delete(r.name);
    }
    return fired;
  }
}
