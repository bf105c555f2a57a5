/** `logtap deploy` (upstream §22.6): an in-cluster receiver whose capture `logtap pull` brings home; src/kube/deploy does it. */

import { defineCommand } from "citty";
import { clusterArgs, connectFromArgs } from "../cli/cluster-args.ts";
import { onInterrupt } from "../cli/interrupt.ts";
import { UsageError } from "../common/errors.ts";
import { parseSizeFlag } from "../common/values/size.ts";
import { DEFAULT_RECEIVER_IMAGE } from "../kube/images.ts";
import { runDeploy, runDeployCleanup } from "../kube/deploy/run-deploy.ts";

export default defineCommand({
  meta: { name: "deploy", description: "Deploy a receiver pod and service in the cluster (or remove them with --cleanup)" },
  args: {
    ...clusterArgs,
    image: { type: "string", default: DEFAULT_RECEIVER_IMAGE, description: "receiver image" },
    port: { type: "string", default: "3100", description: "receiver port (pod and service)" },
    "max-disk": { type: "string", default: "10GB", description: "disk cap of the receiver's capture in the pod" },
    cleanup: { type: "boolean", description: "delete the receiver's pod, service and secret instead (never the namespace)" },
    "dry-run": { type: "boolean", description: "say what would be created or deleted, change nothing" },
  },
  async run({ args }) {
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`invalid --port: "${args.port}": expected 1-65535`);
    parseSizeFlag("max-disk", args["max-disk"]);
    if (!args.image) throw new UsageError("--image must not be empty");
    const cluster = connectFromArgs(args);
    const log = (line: string) => process.stderr.write(line + "\n");
    if (args.cleanup) {
      await runDeployCleanup(cluster, cluster.namespace, Boolean(args["dry-run"]), log);
      return 0;
    }
    // Ctrl+C while creating: what was created is deleted again (deploy-receiver.ts), then the command ends.
    const interrupt = onInterrupt("removing what this run created");
    try {
      await runDeploy(cluster, { spec: { namespace: cluster.namespace, image: args.image, port, maxDisk: args["max-disk"] }, dryRun: Boolean(args["dry-run"]), log, signal: interrupt.signal });
    } finally {
      interrupt.release();
    }
    return 0;
  },
});
