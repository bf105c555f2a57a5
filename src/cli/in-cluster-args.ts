/**
 * `recv --in-cluster` flags (§3.1/§3.13), checked before any cluster call, and the run: src/kube/in-cluster does it.
 * Ctrl+C, SIGTERM and --duration end receiving the same way (the rest brought home, then cleanup); a second
 * Ctrl+C exits at once and leaves the receiver for `recv --in-cluster` or `pull` to resume.
 */

import { UsageError } from "../common/errors.ts";
import { writeStdout } from "../common/stdout.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { parseSizeFlag } from "../common/values/size.ts";
import { DEFAULT_RECEIVER_IMAGE } from "../kube/images.ts";
import { connectFromArgs, type ClusterFlagValues } from "./cluster-args.ts";
import { onInterrupt } from "./interrupt.ts";

export const inClusterArgs = {
  "in-cluster": { type: "boolean", description: "run the receiver as a pod in the cluster and bring its capture home into --dir" },
  image: { type: "string", default: DEFAULT_RECEIVER_IMAGE, description: "--in-cluster: receiver image" },
  ttl: { type: "string", default: "4h", description: "--in-cluster: the receiver pod's lifetime (activeDeadlineSeconds; 0 = none)" },
} as const;

export interface InClusterFlagValues extends ClusterFlagValues {
  dir?: string;
  image?: string;
  ttl?: string;
  "max-file": string;
  "max-disk": string;
  compress: boolean;
  redact?: string;
  duration?: string;
  follow?: string;
  json?: boolean;
  format?: string;
  [flag: string]: unknown;
}

/** Without --in-cluster its own flags are refused rather than ignored (they have defaults, so: changed ones). */
export function refuseInClusterFlags(args: { image?: string; ttl?: string }): void {
  if (args.image !== undefined && args.image !== DEFAULT_RECEIVER_IMAGE) throw new UsageError("--image needs --in-cluster");
  if (args.ttl !== undefined && args.ttl !== "4h") throw new UsageError("--ttl needs --in-cluster");
}

/** Flags of the local receiver that mean nothing for the pod's. */
const LOCAL_ONLY = ["tls-cert", "tls-key", "webhook", "webhook-events", "webhook-auth", "alert-rules", "redact-patterns", "serve-capture", "follow"] as const;

export async function runRecvInCluster(args: InClusterFlagValues): Promise<number> {
  if (!args.dir) throw new UsageError("--dir is required: the in-cluster receiver's capture is brought home into it");
  const stray = LOCAL_ONLY.find((f) => args[f] !== undefined && args[f] !== false && args[f] !== "");
  if (stray) throw new UsageError(`--${stray} does not go with --in-cluster`);
  if (!args.image) throw new UsageError("--image must not be empty");
  const ttlMs = parseDurationFlag("ttl", args.ttl ?? "4h");
  if (ttlMs < 0) throw new UsageError("invalid --ttl: must not be negative");
  parseSizeFlag("max-file", args["max-file"]);
  parseSizeFlag("max-disk", args["max-disk"]);
  if (args.redact !== undefined) {
    // Checked here: a bad pattern name would otherwise only show as a pod that exits at once.
    const { parseRedactFlag, RedactConfigError } = await import("../redact/redactor.ts");
    try {
      parseRedactFlag(args.redact);
    } catch (e) {
      throw e instanceof RedactConfigError ? new UsageError(e.message) : e;
    }
  }
  const durationMs = args.duration === undefined ? 0 : parseDurationFlag("duration", args.duration);
  if (args.duration !== undefined && durationMs <= 0) throw new UsageError("invalid --duration: must be greater than 0");
  const json = args.json === true || args.format === "json";

  // §3.1: the namespace defaults to `logtap`, not the context's.
  const cluster = connectFromArgs({ ...args, namespace: args.namespace || "logtap" });
  const interrupt = onInterrupt("bringing the rest of the capture home, then cleaning up");
  const stop = new AbortController();
  const end = () => stop.abort(new Error("stopped"));
  interrupt.signal.addEventListener("abort", end, { once: true });
  process.on("SIGTERM", end);
  const timer = durationMs > 0 ? setTimeout(end, durationMs) : undefined;
  try {
    const { runInCluster, IN_CLUSTER_PORT } = await import("../kube/in-cluster/run-in-cluster.ts");
    const result = await runInCluster(cluster, {
      spec: {
        namespace: cluster.namespace,
        image: args.image,
        port: IN_CLUSTER_PORT,
        maxFile: args["max-file"],
        maxDisk: args["max-disk"],
        compress: args.compress,
        redact: args.redact,
        activeDeadlineSeconds: Math.ceil(ttlMs / 1000),
      },
      dir: args.dir,
      stop: stop.signal,
      log: (line) => process.stderr.write(line + "\n"),
    });
    if (json) await writeStdout(`${JSON.stringify({ dir: result.dir, namespace: result.namespace, lines: result.lines, files: result.files, bytes: result.bytes })}\n`);
    return 0;
  } finally {
    clearTimeout(timer);
    process.off("SIGTERM", end);
    interrupt.release();
  }
}
