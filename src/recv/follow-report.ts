/**
 * What `recv --follow` reports, and where: gaps to the audit trail, the metrics and stderr (never silent);
 * the stream budget reached to stderr and the audit trail; stream counts and reconnects to the metrics. Also the
 * figures the status line and the `--json` summary give.
 */

import type { AuditLog } from "../capture/audit-log.ts";
import { formatInstant } from "../capture/timestamp.ts";
import type { FollowEvents, FollowGap } from "../kube/follow/follow-events.ts";
import { budgetWarning, type BudgetReport } from "../kube/follow/stream-budget.ts";
import type { FollowMetrics } from "./follow-metrics.ts";

const WHY: Record<FollowGap["reason"], string> = {
  rotated: "the node rotated its log while the stream was down",
  restarted: "the container restarted more than once while the stream was down",
  deleted: "the pod was deleted while the stream was down",
};

export class FollowReport implements FollowEvents {
  gaps = 0;

  constructor(
    private readonly audit: AuditLog,
    readonly metrics: FollowMetrics,
    private readonly log: (line: string) => void,
  ) {}

  gap(g: FollowGap): void {
    this.gaps++;
    this.metrics.gaps.inc(g.reason);
    const after = formatInstant(g.after.sec, g.after.nsec);
    const before = g.before ? formatInstant(g.before.sec, g.before.nsec) : undefined;
    this.audit.record({ event: "follow_gap", reason: g.reason, namespace: g.namespace, pod: g.pod, container: g.container, container_id: g.containerId, after, before });
    const until = before ? ` and before ${before}` : "";
    this.log(`warning: lines lost in ${g.namespace}/${g.pod}/${g.container} after ${after}${until}: ${WHY[g.reason]} (recorded in audit.jsonl)`);
  }

  warning(text: string): void {
    this.log(`warning: ${text}`);
  }

  budget(r: BudgetReport): void {
    this.audit.record({ event: "follow_budget_reached", max_streams: r.max, waiting: r.waiting });
    this.log(`warning: ${budgetWarning(r)}`);
  }

  reconnect(): void {
    this.metrics.reconnects.inc();
  }

  streams(active: number, waiting: number): void {
    this.metrics.active.set(active);
    this.metrics.waiting.set(waiting);
  }
}
