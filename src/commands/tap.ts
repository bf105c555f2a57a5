/**
 * `logtap tap` (upstream §22.3 with the §26 fixes and issue 11's additions): every input is checked, in upstream's
 * order, before any cluster call; then src/kube/tap-run does the run and this file prints it.
 */

import { defineCommand } from "citty";
import { clusterArgs, clusterTimeoutMs, connectFromArgs } from "../cli/cluster-args.ts";
import { onInterrupt } from "../cli/interrupt.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { cliRunOutput } from "../cli/run-output.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { UsageError } from "../common/errors.ts";
import { DEFAULT_FORWARDER_IMAGE, DEFAULT_SIDECAR_CPU, DEFAULT_SIDECAR_MEMORY } from "../kube/tap/forwarder-defaults.ts";
import { quantityProblem } from "../kube/tap/quantity.ts";
import { sidecarModeProblem, type SidecarModeFlag } from "../kube/tap/sidecar-mode.ts";
import { targetProblem } from "../kube/tap/target.ts";
import { tapResultJson } from "../kube/tap-run/result-json.ts";
import type { TapRequest } from "../kube/tap-run/run-tap.ts";
import { flaggedSelections, type Selection } from "../kube/tap-run/selection.ts";

const args = {
  deployment: { type: "string", description: "tap this Deployment" },
  statefulset: { type: "string", description: "tap this StatefulSet" },
  daemonset: { type: "string", description: "tap this DaemonSet" },
  selector: { type: "string", alias: "l", description: "tap every Deployment, StatefulSet and DaemonSet matching this label selector" },
  all: { type: "boolean", description: "tap every untapped workload in the namespace (needs --force unless --dry-run)" },
  ...clusterArgs,
  target: { type: "string", description: "receiver address: host[:port] or http(s)://host[:port] (required)" },
  forwarder: { type: "string", default: "logtap", description: 'forwarder: "logtap" or "fluent-bit"' },
  image: { type: "string", default: DEFAULT_FORWARDER_IMAGE, description: "sidecar image (required with --forwarder fluent-bit)" },
  "sidecar-memory": { type: "string", default: DEFAULT_SIDECAR_MEMORY, description: "sidecar memory request (limit = 2×)" },
  "sidecar-cpu": { type: "string", default: DEFAULT_SIDECAR_CPU, description: "sidecar CPU request (limit = 2×)" },
  "sidecar-mode": { type: "string", default: "auto", description: "auto, native (an init container with restartPolicy Always) or container" },
  "dry-run": { type: "boolean", description: "print the change as a diff (or JSON with --json) and change nothing" },
  force: { type: "boolean", description: "skip the receiver and resource pre-checks; required for --all" },
  "allow-prod": { type: "boolean", description: "permit a production namespace" },
  "pin-images": { type: "boolean", description: "set imagePullPolicy Always → IfNotPresent on the workload's containers while tapped" },
  wait: { type: "boolean", default: true, description: "wait for the rollouts to complete (bounded by --timeout)", negativeDescription: "return once the workloads are changed" },
  rollback: { type: "boolean", default: true, description: "untap what this run changed when a later change or a rollout fails", negativeDescription: "keep what this run changed when a later step fails" },
  ...jsonArgs,
} as const;

interface TapFlags {
  deployment?: string;
  statefulset?: string;
  daemonset?: string;
  selector?: string;
  all?: boolean;
  target?: string;
  forwarder?: string;
  image?: string;
  "sidecar-memory"?: string;
  "sidecar-cpu"?: string;
  "sidecar-mode"?: string;
  force?: boolean;
  "dry-run"?: boolean;
}

const MODES = "--deployment, --statefulset, --daemonset, --selector, or --all";

/** §22.3 validations 1–5 in upstream's order, then the sidecar mode. Throws UsageError; nothing reaches the cluster. */
function validate(a: TapFlags): { selection: Selection; forwarder: "logtap" | "fluent-bit" } {
  if (!a.target) throw new UsageError('required flag(s) "target" not set');
  const problem =
    targetProblem(a.target) ?? quantityProblem("--sidecar-memory", a["sidecar-memory"]!) ?? quantityProblem("--sidecar-cpu", a["sidecar-cpu"]!);
  if (problem !== null) throw new UsageError(problem);
  const modes = flaggedSelections(a);
  if (a.all) modes.push({ by: "all" });
  if (modes.length === 0) throw new UsageError(`specify one of ${MODES}`);
  if (modes.length > 1) throw new UsageError(`specify only one of ${MODES}`);
  if (a.all && !a.force && !a["dry-run"]) throw new UsageError("--all requires --force to confirm bulk tapping (or use --dry-run)");
  if (a.forwarder !== "logtap" && a.forwarder !== "fluent-bit") throw new UsageError('--forwarder must be "logtap" or "fluent-bit"');
  if (a.forwarder === "fluent-bit" && a.image === DEFAULT_FORWARDER_IMAGE) {
    throw new UsageError("--image is required when using --forwarder fluent-bit (no default Fluent Bit image)");
  }
  const mode = sidecarModeProblem(a["sidecar-mode"]!);
  if (mode !== null) throw new UsageError(mode);
  return { selection: modes[0]!, forwarder: a.forwarder };
}

export default defineCommand({
  meta: { name: "tap", description: "Add the log-forwarding sidecar to workloads (exactly reversible with untap)" },
  args,
  async run({ args: a }) {
    const { selection, forwarder } = validate(a);
    const timeoutMs = clusterTimeoutMs(a);
    const json = isJson(a);
    const cluster = await connectFromArgs(a);
    const { runTap } = await import("../kube/tap-run/run-tap.ts");
    const interrupt = onInterrupt("undoing what this run changed");
    const req: TapRequest = {
      namespace: cluster.namespace,
      selection,
      target: a.target!,
      forwarder,
      image: a.image,
      memory: a["sidecar-memory"]!,
      cpu: a["sidecar-cpu"]!,
      sidecarMode: a["sidecar-mode"] as SidecarModeFlag,
      pinImages: a["pin-images"] === true,
      dryRun: a["dry-run"] === true,
      force: a.force === true,
      allowProd: a["allow-prod"] === true,
      rollback: a.rollback !== false,
      wait: a.wait !== false,
      timeoutMs,
      interrupt: interrupt.signal,
    };
    try {
      const result = await runTap(cluster, req, cliRunOutput(json));
      if (json) await writeStdout(goJsonDocument(tapResultJson(result), true));
      else if (!result.dryRun) {
        process.stderr.write(`\nSession: ${result.session}\nTarget:  ${result.target}\nUse 'logtap untap --session ${result.session}' to remove\n`);
      }
    } finally {
      interrupt.release();
    }
    return 0;
  },
});
