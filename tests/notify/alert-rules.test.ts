import { describe, expect, test } from "bun:test";
import { AlertEvaluator, parseAlertRules } from "../../src/notify/alert-rules.ts";

const snap = (o: Partial<{ logsReceived: number; logsDropped: number; diskUsage: number; maxDisk: number }>) => ({
  logsReceived: 0,
  logsDropped: 0,
  diskUsage: 0,
  maxDisk: 1000,
  ...o,
});

describe("alert rules (upstream §3.12)", () => {
  test("parses the documented file", () => {
    const rules = parseAlertRules("rules:\n  - name: high-drop-rate\n    metric: drop_rate\n    op: gt\n    threshold: 100\n    detail: \"dropping logs\"\n");
    expect(rules).toEqual([{ name: "high-drop-rate", metric: "drop_rate", op: "gt", threshold: 100, detail: "dropping logs" }]);
  });

  test.each([
    ["rules:\n  - metric: drop_rate\n    op: gt\n    threshold: 1\n", "alert rule missing name"],
    ["rules:\n  - name: a\n    metric: cpu\n    op: gt\n    threshold: 1\n", "unknown alert metric: cpu"],
    ["rules:\n  - name: a\n    metric: disk_pct\n    op: ne\n    threshold: 1\n", "unknown alert operator: ne"],
    ["rules:\n  - name: a\n    metric: disk_pct\n    op: gt\n", "threshold must be a number"],
    ["rules: [\n", "parse:"],
    ["other: 1\n", "rules:"],
  ])("rejects %p", (text, message) => expect(() => parseAlertRules(text)).toThrow(message));

  test("fires once when the condition becomes true, re-arms only after it was false", () => {
    const ev = new AlertEvaluator(parseAlertRules("rules:\n  - name: disk\n    metric: disk_pct\n    op: gte\n    threshold: 80\n    detail: d\n"));
    expect(ev.evaluate(snap({ diskUsage: 500 })).map((r) => r.name)).toEqual([]);
    expect(ev.evaluate(snap({ diskUsage: 800 })).map((r) => r.name)).toEqual(["disk"]);
    expect(ev.evaluate(snap({ diskUsage: 900 })).map((r) => r.name)).toEqual([]);
    expect(ev.evaluate(snap({ diskUsage: 100 })).map((r) => r.name)).toEqual([]);
    expect(ev.evaluate(snap({ diskUsage: 850 })).map((r) => r.name)).toEqual(["disk"]);
  });

  test("drop_rate is the drops since the previous evaluation; the cumulative metrics are totals", () => {
    const ev = new AlertEvaluator(
      parseAlertRules(
        "rules:\n  - {name: rate, metric: drop_rate, op: gt, threshold: 10}\n  - {name: total, metric: logs_dropped, op: gt, threshold: 25}\n  - {name: quiet, metric: logs_received, op: lt, threshold: 1}\n",
      ),
    );
    expect(ev.evaluate(snap({ logsDropped: 5 })).map((r) => r.name)).toEqual(["quiet"]);
    expect(ev.evaluate(snap({ logsDropped: 20, logsReceived: 5 })).map((r) => r.name)).toEqual(["rate"]);
    expect(ev.evaluate(snap({ logsDropped: 22, logsReceived: 9 })).map((r) => r.name)).toEqual([]);
    expect(ev.evaluate(snap({ logsDropped: 40, logsReceived: 9 })).map((r) => r.name)).toEqual(["rate", "total"]);
  });
});
