/**
 * `logtap untap` (upstream §22.5): every input is checked before any cluster call (upstream checked the workload
 * flags only after connecting); then src/kube/tap-run does the run and this file prints it.
 */

import { defineCommand } from "citty";
import { clusterArgs, clusterTimeoutMs, connectFromArgs } from "../cli/cluster-args.ts";
import { onInterrupt } from "../cli/interrupt.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { cliRunOutput } from "../cli/run-output.ts";
import { writeStdout } from "../common/stdout.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { UsageError } from "../common/errors.ts";
import { isSessionId } from "../kube/tap/session-id.ts";
import { untapResultJson } from "../kube/tap-run/result-json.ts";
import { flaggedSelections, type Selection } from "../kube/tap-run/selection.ts";

const args = {
  deployment: { type: "string", description: "untap this Deployment" },
  statefulset: { type: "string", description: "untap this StatefulSet" },
  daemonset: { type: "string", description: "untap this DaemonSet" },
  selector: { type: "string", alias: "l", description: "untap the tapped workloads matching this label selector" },
  ...clusterArgs,
  session: { type: "string", description: "the session to remove (lt-…)" },
  all: { type: "boolean", description: "remove every session (needs --force unless --dry-run)" },
  "dry-run": { type: "boolean", description: "print the change as a diff (or JSON with --json) and change nothing" },
  force: { type: "boolean", description: "required with --all to confirm bulk removal" },
  ...jsonArgs,
} as const;

interface UntapFlags {
  deployment?: string;
  statefulset?: string;
  daemonset?: string;
  selector?: string;
  session?: string;
  all?: boolean;
  force?: boolean;
  "dry-run"?: boolean;
}

/** §22.5's checks in upstream's order, then the session id's form. Throws UsageError; nothing reaches the cluster. */
function validate(a: UntapFlags): { selection: Selection; session: string } {
  if (a.session && a.all) throw new UsageError("--session and --all are mutually exclusive");
  if (!a.session && !a.all) throw new UsageError("specify --session or --all");
  if (a.all && !a.force && !a["dry-run"]) throw new UsageError("--all requires --force to confirm bulk removal (or use --dry-run)");
  const modes = flaggedSelections(a);
  if (modes.length > 1) throw new UsageError("specify only one of --deployment, --statefulset, --daemonset, or --selector");
  if (a.session && !isSessionId(a.session)) throw new UsageError(`invalid --session "${a.session}": must be lt- followed by 16 lowercase hex characters`);
  return { selection: modes[0] ?? { by: "all" }, session: a.session || "all" };
}

export default defineCommand({
  meta: { name: "untap", description: "Remove logtap sidecars from workloads, restoring their pod templates exactly" },
  args,
  async run({ args: a }) {
    const { selection, session } = validate(a);
    const timeoutMs = clusterTimeoutMs(a);
    const json = isJson(a);
    const cluster = await connectFromArgs(a);
    const { runUntap } = await import("../kube/tap-run/run-untap.ts");
    const interrupt = onInterrupt("stopping; what was untapped stays untapped");
    try {
      const result = await runUntap(cluster, { namespace: cluster.namespace, selection, session, dryRun: a["dry-run"] === true, timeoutMs, interrupt: interrupt.signal }, cliRunOutput(json));
      if (json) await writeStdout(goJsonDocument(untapResultJson(result), true));
    } finally {
      interrupt.release();
    }
    return 0;
  },
});
