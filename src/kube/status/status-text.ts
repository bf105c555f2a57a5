/**
 * status's text report (§22.9, on stderr): each distinct receiver with up to three of its values, then the tapped
 * workloads. Beyond upstream: why a receiver did not answer, and a note when an https receiver's certificate could
 * not be verified here.
 */

import type { StatusReport, ReceiverStatus } from "./run-status.ts";

const label = (name: string) => name.padEnd(15);

export function renderStatusText(r: StatusReport): string {
  if (r.workloads.length === 0) return "No tapped workloads found\n";
  const lines: string[] = [];
  for (const [target, status] of r.receivers) lines.push(...receiverLines(target, status));
  lines.push("", "Tapped workloads:");
  for (const w of r.workloads) {
    lines.push(`  ${w.workload.kind}/${w.workload.name.padEnd(24)} (${w.workload.namespace})     ${w.ready}/${w.total} pods forwarding   sessions: ${w.sessions.join(",")}`);
  }
  return lines.join("\n") + "\n";
}

function receiverLines(target: string, { probe, stats }: ReceiverStatus): string[] {
  if (!probe.reachable) return [`${label("Receiver:")}${target} (not reachable${probe.error ? `: ${probe.error}` : ""})`];
  const lines = [`${label("Receiver:")}${target} (reachable)`];
  if (probe.certificateProblem) lines.push(`${label("")}certificate not verified: ${probe.certificateProblem}`);
  if (stats.logs_received !== undefined) lines.push(`${label("Logs received:")}${stats.logs_received}`);
  if (stats.disk_used !== undefined) lines.push(`${label("Disk used:")}${stats.disk_used}`);
  if (stats.dropped !== undefined) lines.push(`${label("Dropped:")}${stats.dropped}`);
  return lines;
}
