/**
 * `logtap pull`: brings the capture of a receiver started with `--serve-capture` home into `--dir` — the in-cluster
 * receiver of `deploy` / `recv --in-cluster` through the API server's services/proxy, or any receiver by `--url`.
 * Pulling again goes on where the local files stand, so an interrupted run is resumed by running it again.
 */

import { defineCommand } from "citty";
import { clusterArgs, connectFromArgs } from "../cli/cluster-args.ts";
import { onInterrupt } from "../cli/interrupt.ts";
import { UsageError } from "../common/errors.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { CAPTURE_TOKEN_ENV } from "../recv/capture-token.ts";
import { namespaceIsReceivers, removeReceiver } from "../kube/deploy/cleanup-receiver.ts";
import { RECEIVER_NAME } from "../kube/deploy/receiver-objects.ts";
import { receiverRemote } from "../kube/deploy/receiver-access.ts";
import { CapturePuller } from "../kube/pull/capture-puller.ts";
import { directRemote } from "../kube/pull/direct-remote.ts";
import { runPull } from "../kube/pull/run-pull.ts";

export default defineCommand({
  meta: { name: "pull", description: "Bring an in-cluster receiver's capture home, while it is written and at the end" },
  args: {
    dir: { type: "string", description: "local capture directory (required; pulling again resumes)" },
    ...clusterArgs,
    url: { type: "string", description: "a receiver reached directly (http://host:port) instead of the cluster's; token in LOGTAP_CAPTURE_TOKEN" },
    follow: { type: "boolean", description: "keep pulling until Ctrl+C" },
    interval: { type: "string", default: "2s", description: "time between rounds with --follow" },
    finish: { type: "boolean", description: "finish the receiver's capture (no more pushes), pull the rest and check it is identical" },
    cleanup: { type: "boolean", description: "after --finish: delete the receiver's pod, service and secret (and a namespace logtap created for it)" },
  },
  async run({ args }) {
    if (!args.dir) throw new UsageError("--dir is required");
    const intervalMs = parseDurationFlag("interval", args.interval);
    if (intervalMs <= 0) throw new UsageError("invalid --interval: must be greater than 0");
    if (args.cleanup && !args.finish) throw new UsageError("--cleanup needs --finish: the receiver is only deleted once its whole capture is home");
    if (args.url && args.cleanup) throw new UsageError("--cleanup deletes a cluster's receiver: it does not go with --url");
    const log = (line: string) => process.stderr.write(line + "\n");
    const cluster = args.url ? null : connectFromArgs(args);
    let remote;
    if (args.url) {
      const token = process.env[CAPTURE_TOKEN_ENV]?.trim();
      if (!token) throw new UsageError(`--url needs the receiver's token in ${CAPTURE_TOKEN_ENV}`);
      remote = directRemote(args.url, token);
    } else remote = await receiverRemote(cluster!, cluster!.namespace);
    log(`pulling the capture of ${remote.where} into ${args.dir}`);
    const interrupt = args.follow ? onInterrupt(args.finish ? "finishing the capture and pulling the rest" : "pulling once more, then stopping") : null;
    if (args.follow) log(`pulling every ${args.interval}; press Ctrl+C to ${args.finish ? "finish" : "stop"}`);
    try {
      await runPull(new CapturePuller(remote, args.dir), { follow: Boolean(args.follow), stop: interrupt?.signal ?? new AbortController().signal, intervalMs, finish: Boolean(args.finish), log });
    } finally {
      interrupt?.release();
    }
    if (args.cleanup && cluster) {
      const ns = cluster.namespace;
      const deleteNamespace = await namespaceIsReceivers(cluster, ns);
      log("cleaning up cluster resources...");
      const done = await removeReceiver(cluster, ns, { deleteNamespace });
      const objects = done.deleted.filter((k) => k !== "namespaces").map((k) => k.replace(/s$/, ""));
      log(objects.length > 0 ? `deleted ${objects.join(", ")} ${RECEIVER_NAME} in namespace "${ns}"` : `nothing to delete in namespace "${ns}"`);
      if (done.deleted.includes("namespaces")) log(`deleted namespace "${ns}" (logtap created it for the receiver)`);
      if (done.podStillTerminating) log(`warning: pod ${ns}/${RECEIVER_NAME} is still terminating`);
    }
    return 0;
  },
});
