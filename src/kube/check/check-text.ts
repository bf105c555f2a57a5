/**
 * check's text report (§22.7, on stderr): upstream's lines and paddings, plus the per-command permissions after
 * the RBAC line, `-n <ns>` in the untap hint (so it acts on the namespace checked), and why a receiver did not
 * answer.
 */

import type { CommandAccess } from "./command-access.ts";
import type { Leftovers, SidecarLeftover } from "./leftovers.ts";
import type { Permission } from "../rbac-permission.ts";
import type { QuotaInfo } from "./quotas.ts";
import type { CheckReport } from "./run-check.ts";
import type { RbacCheck } from "./upstream-rbac.ts";
import type { WorkloadRef } from "./workload-ref.ts";
import { DEFAULT_SIDECAR_MEMORY } from "../tap/forwarder-defaults.ts";
import { asFraction, parseQuantity } from "../tap/quantity.ts";

const LABEL = 15;
const label = (name: string) => name.padEnd(LABEL);

export function renderCheckText(r: CheckReport): string {
  const lines: string[] = [];
  if (r.cluster.ok) lines.push(`${label("Cluster:")}${r.cluster.value.version}`, `${label("Namespace:")}${r.cluster.value.namespace}`);
  else lines.push(`${label("Cluster:")}(error: ${r.cluster.error})`);
  if (r.rbac.ok) lines.push(rbacLine(r.rbac.value.upstream), ...permissionLines(r.rbac.value.commands));
  else lines.push(`${label("RBAC:")}(error: ${r.rbac.error})`);
  lines.push(...quotaLines(r));
  lines.push("");
  if (r.orphans.ok) lines.push(...leftoverLines(r.orphans.value, r.namespace));
  else lines.push(`${label("Leftovers:")}(error: ${r.orphans.error})`);
  lines.push("");
  if (r.candidates.ok) lines.push(...candidateLines(r.candidates.value));
  else lines.push(`Candidate workloads: (error: ${r.candidates.error})`);
  return lines.join("\n") + "\n";
}

function rbacLine(checks: RbacCheck[]): string {
  const denied = checks.filter((c) => !c.allowed).map((c) => `${c.check.verb} ${c.check.group}/${c.check.resource}`);
  return `${label("RBAC:")}${denied.length === 0 ? "ok" : `denied: ${denied.join(", ")}`}`;
}

function permissionLines(commands: Record<string, CommandAccess>): string[] {
  const entries = Object.entries(commands);
  const failing = entries.filter(([, a]) => !a.ok);
  const ok = entries.filter(([, a]) => a.ok).map(([c]) => c);
  if (failing.length === 0) return [`${label("Permissions:")}ok (${ok.join(", ")})`];
  const width = Math.max(...failing.map(([c]) => c.length)) + 2;
  return [
    `${label("Permissions:")}${failing.length} of ${entries.length} commands would fail`,
    ...failing.map(([c, a]) => `  ${c.padEnd(width)}missing ${missingText(a.missing)}`),
    ...(ok.length > 0 ? [`  ${"ok:".padEnd(width)}${ok.join(", ")}`] : []),
  ];
}

/** `update, patch apps/deployments; list /nodes (cluster-wide); create /configmaps (for --forwarder fluent-bit)`. */
export function missingText(missing: Permission[]): string {
  const groups = new Map<string, string[]>();
  for (const p of missing) {
    const key = `${p.group}/${p.resource}${p.cluster ? " (cluster-wide)" : ""}${p.when ? ` (for ${p.when})` : ""}`;
    groups.set(key, [...(groups.get(key) ?? []), p.verb]);
  }
  return [...groups].map(([what, verbs]) => `${verbs.join(", ")} ${what}`).join("; ");
}

function quotaLines(r: CheckReport): string[] {
  if (!r.quotas.ok) return [`${label("Quota:")}(error: ${r.quotas.error})`];
  if (r.quotas.value.length === 0) return [`${label("Quota:")}none configured`];
  // Quotas on neither memory nor cpu requests do not limit a sidecar: upstream leaves them out.
  return r.quotas.value.flatMap((q) => {
    const parts = quotaParts(q);
    return parts.length === 0 ? [] : [`${label("Quota:")}${q.name} (${parts.join(", ")})`];
  });
}

function quotaParts(q: QuotaInfo): string[] {
  const parts: string[] = [];
  if (q.mem_hard !== undefined) parts.push(`memory ${q.mem_used} / ${q.mem_hard}`);
  if (q.cpu_hard !== undefined) parts.push(`cpu ${q.cpu_used} / ${q.cpu_hard}`);
  return parts;
}

function leftoverLines(l: Leftovers, namespace: string): string[] {
  if (l.sidecars.length + l.stale_workloads.length + l.receivers.length === 0) return [`${label("Leftovers:")}none`];
  const lines = ["Leftovers:"];
  for (const s of l.sidecars) lines.push(`  ! ${s.workload.kind}/${s.workload.name.padEnd(20)} has logtap sidecar (${receiverState(s)})`);
  for (const s of l.stale_workloads) lines.push(`  ! ${s.workload.kind}/${s.workload.name.padEnd(20)} stale annotation (no sidecar container)`);
  for (const p of l.receivers) lines.push(`  ! Pod ${p.pod_name.padEnd(24)} in namespace ${p.namespace} (age: ${goMinutes(p.age)})`);
  lines.push("");
  if (l.sidecars.length + l.stale_workloads.length > 0) lines.push(`  Run: logtap untap --all --force -n ${namespace}    to remove sidecars`);
  if (l.receivers.length > 0) lines.push(`  Run: kubectl delete pod,svc -n ${namespace} -l app.kubernetes.io/managed-by=logtap    to remove receiver`);
  return lines;
}

function receiverState(s: SidecarLeftover): string {
  if (!s.target_reachable) return `receiver unreachable${s.target_error ? `: ${s.target_error}` : ""}`;
  return s.target_certificate_error ? `receiver reachable, certificate not verified: ${s.target_certificate_error}` : "receiver reachable";
}

function candidateLines(c: WorkloadRef[]): string[] {
  if (c.length === 0) return ["Candidate workloads: none found"];
  const perSidecar = sidecarBytes();
  return ["Candidate workloads:", ...c.map((w) => `  ${w.kind}/${w.name.padEnd(24)} ${w.replicas} replicas   +${Math.ceil((w.replicas * perSidecar) / 2 ** 20)}Mi for sidecar`)];
}

/** The default sidecar memory request in bytes: upstream's line is replicas × 16Mi. */
function sidecarBytes(): number {
  const { num, den } = asFraction(parseQuantity(DEFAULT_SIDECAR_MEMORY)!);
  return Number(num) / Number(den);
}

/** A Go time.Duration (nanoseconds) truncated to minutes, as Go prints it: `0s`, `5m0s`, `2h3m0s`. */
export function goMinutes(ns: number): string {
  const minutes = Math.floor(ns / 60e9);
  if (minutes === 0) return "0s";
  const h = Math.floor(minutes / 60);
  return `${h > 0 ? `${h}h` : ""}${minutes % 60}m0s`;
}
