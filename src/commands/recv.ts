/**
 * `logtap recv`: flags of upstream §3.1 (with the §26 fixes) → a running Receiver, stopped cleanly on SIGINT/SIGTERM
 * or after `--duration`; with `--follow` it also reads pods' logs through the API itself (src/cli/follow-args.ts).
 */

import { defineCommand } from "citty";
import { readFileSync, statSync } from "node:fs";
import { NotFoundError, UsageError } from "../common/errors.ts";
import { parseSizeFlag } from "../common/values/size.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { parseListen } from "../recv/listen-address.ts";
import { Receiver } from "../recv/receiver.ts";
import { startStatsLine } from "../recv/stats-line.ts";
import type { OverloadPolicy } from "../recv/push-intake.ts";
import { ReceiverNotifier } from "../recv/receiver-notifier.ts";
import { WebhookDispatcher } from "../notify/webhook-dispatcher.ts";
import { parseWebhookAuth, WebhookAuthError } from "../notify/webhook-auth.ts";
import { WEBHOOK_EVENTS, type WebhookEventName } from "../notify/webhook-event.ts";
import { AlertEvaluator, AlertRulesError, loadAlertRules } from "../notify/alert-rules.ts";
import { REPEAT_SEPARATOR } from "../cli/strict-args.ts";
import { readMetadata } from "../capture/metadata.ts";
import { captureTokenFromEnv } from "../recv/capture-token.ts";
import { runSummary } from "../recv/run-summary.ts";
import { followArgs, parseFollowFlags, prepareFollow } from "../cli/follow-args.ts";
import { inClusterArgs, refuseInClusterFlags, runRecvInCluster, type InClusterFlagValues } from "../cli/in-cluster-args.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { parseTuiBuffer, tuiWanted } from "../tui/tty.ts";
import { VERSION } from "../version.ts";

const MAX_BUFFER = 1_048_576;

export default defineCommand({
  meta: { name: "recv", description: "Start the log receiver (Loki push API) and write a capture directory" },
  args: {
    listen: { type: "string", default: "127.0.0.1:3100", description: "listen address (host:port, :port for all interfaces)" },
    dir: { type: "string", description: "capture directory (required)" },
    "max-file": { type: "string", default: "256MB", description: "rotate data files at this uncompressed size" },
    "max-disk": { type: "string", default: "50GB", description: "disk cap for the capture directory; oldest files are deleted (0 = none)" },
    compress: { type: "boolean", default: true, description: "zstd-compress data files (--compress=false for plain JSONL)" },
    redact: { type: "string", optionalValue: true, description: "PII redaction: bare = all built-ins, a,b = those, false = off" },
    "redact-patterns": { type: "string", description: "YAML file of extra redaction patterns" },
    buffer: { type: "string", default: "65536", description: "ingest queue capacity in entries (max 1048576)" },
    "max-body": { type: "string", default: "64MB", description: "largest accepted request body" },
    headless: { type: "boolean", description: "no TUI; status lines on stderr" },
    "tui-buffer": { type: "string", default: "10000", description: "log entries the TUI keeps for scrolling and filtering" },
    "stats-interval": { type: "string", default: "5s", description: "how often the headless status line is printed (0 = never)" },
    "tls-cert": { type: "string", description: "TLS certificate (PEM); needs --tls-key" },
    "tls-key": { type: "string", description: "TLS private key (PEM); needs --tls-cert" },
    "on-overload": { type: "enum", options: ["drop", "429"], default: "drop", description: "when the queue is full: drop (204, counted) or 429 (refuse the push whole)" },
    webhook: { type: "string", repeatable: true, description: "webhook URL (repeatable or comma-separated)" },
    "webhook-events": { type: "string", description: "only send these events: start,stop,rotation,error,disk-warning,alert" },
    "webhook-auth": { type: "string", description: "bearer:<token> or hmac-sha256:<secret>" },
    "alert-rules": { type: "string", description: "YAML file of alert rules (sent as webhook alert events)" },
    "serve-capture": { type: "boolean", description: "serve the capture directory read-only to holders of the token in LOGTAP_CAPTURE_TOKEN (in-cluster receivers)" },
    ...followArgs,
    ...inClusterArgs,
    duration: { type: "string", description: "stop after this long (e.g. 10m) as on Ctrl+C" },
    ...jsonArgs,
  },
  async run({ args }) {
    // The receiver runs in the cluster and this process brings its capture home (src/cli/in-cluster-args.ts).
    if (args["in-cluster"]) return runRecvInCluster(args as InClusterFlagValues);
    const log = (line: string) => process.stderr.write(line + "\n");
    if (!args.dir) throw new UsageError("--dir is required (or use --in-cluster)");
    if (statSync(args.dir, { throwIfNoEntry: false })?.isDirectory() === false) throw new UsageError(`--dir ${args.dir} is not a directory`);
    refuseInClusterFlags(args);
    const listen = parseListen(args.listen);
    const buffer = Number(args.buffer);
    if (!Number.isInteger(buffer) || buffer < 1) throw new UsageError(`invalid --buffer: "${args.buffer}"`);
    if (buffer > MAX_BUFFER) throw new UsageError(`--buffer ${buffer} exceeds maximum of ${MAX_BUFFER}`);
    const maxFileBytes = parseSizeFlag("max-file", args["max-file"]);
    const maxDiskBytes = parseSizeFlag("max-disk", args["max-disk"]);
    const maxBody = parseSizeFlag("max-body", args["max-body"]);
    const statsEvery = parseDurationFlag("stats-interval", args["stats-interval"]);
    if (statsEvery < 0) throw new UsageError("invalid --stats-interval: must not be negative");
    if (maxFileBytes < 1) throw new UsageError("invalid --max-file: must be greater than 0");
    if (Boolean(args["tls-cert"]) !== Boolean(args["tls-key"])) throw new UsageError("--tls-cert and --tls-key must be given together");
    const tls = args["tls-cert"] ? { cert: readPem("tls-cert", args["tls-cert"]), key: readPem("tls-key", args["tls-key"]!) } : undefined;
    const notifier = buildNotifier(args, args.dir, maxDiskBytes);
    // Redaction code is only loaded when asked for.
    const redaction = args.redact === undefined ? null : await import("../redact/redactor.ts");
    const names = redaction === null ? null : asUsageError(redaction.RedactConfigError, () => redaction.parseRedactFlag(args.redact));
    if (names === null && args["redact-patterns"]) throw new UsageError("--redact-patterns needs --redact");
    const served = args["serve-capture"] ? captureTokenFromEnv(process.env) : undefined;
    if (served && "error" in served) throw new UsageError(served.error);
    const tuiBuffer = parseTuiBuffer(args["tui-buffer"]);
    if (typeof tuiBuffer === "string") throw new UsageError(tuiBuffer);
    if (args.format !== undefined && args.format !== "json") throw new UsageError(`invalid --format: "${args.format}" (json)`);
    const json = isJson(args);
    const durationMs = args.duration === undefined ? 0 : parseDurationFlag("duration", args.duration);
    if (args.duration !== undefined && durationMs <= 0) throw new UsageError("invalid --duration: must be greater than 0");
    const followPlan = await parseFollowFlags(args);
    // Connected and resolved before the port is bound or a file written: a missing workload leaves nothing behind.
    const follow = followPlan ? await prepareFollow(args, followPlan) : undefined;
    // The dashboard only on an interactive terminal; its code is loaded only then.
    const tui = tuiWanted({ headless: args.headless, format: json ? "json" : undefined }) ? await import("../tui/live/live-app.ts") : null;
    const feed = tui ? new tui.LiveFeed(tuiBuffer) : null;

    if (!tls && !listen.loopback) {
      log(`WARNING: Running in direct IP mode (${args.listen}) without TLS. Logs will be sent over unencrypted HTTP. Use --tls-cert and --tls-key for HTTPS.`);
    }
    const receiver = await Receiver.start({
      listen,
      dir: args.dir,
      maxFileBytes,
      maxDiskBytes,
      compress: args.compress,
      buffer,
      limits: { maxBody, maxDecoded: Math.max(maxBody * 4, 256 * 1024 * 1024) },
      redact: names === null ? null : { names, customFile: args["redact-patterns"] },
      tls,
      overload: args["on-overload"] as OverloadPolicy,
      hooks: { rotated: () => notifier.rotated(), writeFailed: () => notifier.writeFailed() },
      log,
      observe: feed?.observe,
      serveCapture: served,
      follow,
    }).catch((e) => {
      if (redaction !== null && e instanceof redaction.RedactConfigError) throw toCliError(e);
      // Bun.serve reports a key that does not belong to the certificate (or unparsable PEM) only when it binds.
      if (tls && /certificate|private key|x509|pem|ssl|tls/i.test((e as Error).message)) throw new UsageError(`invalid --tls-cert/--tls-key: ${(e as Error).message}`);
      throw e;
    });
    notifier.start(receiver.metrics);
    const address = `${listen.hostname.includes(":") ? `[${listen.hostname}]` : listen.hostname}:${receiver.port}`;
    if (tui && feed) {
      const redactPatterns = names === null ? null : (readMetadata(args.dir).redaction?.patterns.length ?? names.length);
      // The dashboard ends on a signal like on q, so --duration sends one.
      const timer = durationMs > 0 ? setTimeout(() => process.kill(process.pid, "SIGTERM"), durationMs) : undefined;
      // Messages written to stderr while the dashboard is open are held and printed once the terminal is restored.
      const r = await tui.runLiveTui(receiver, feed, { version: VERSION, listen: address, dir: args.dir, maxDisk: maxDiskBytes, redactPatterns });
      clearTimeout(timer);
      if (r.opened) {
        // q, Ctrl+C or a signal ended the dashboard and the terminal is restored: now the same shutdown as headless.
        log("shutting down...");
        const totals = await receiver.stop();
        await notifier.stop(totals, receiver.metrics.diskUsage.value);
        log(`done: ${totals.lines} lines, ${totals.bytes} bytes written`);
        return 0;
      }
      log(`warning: cannot open the TUI (${r.reason}); running headless`);
    }
    // Handlers before the "listening" line: whoever reads that line may signal at once.
    const signalled = new Promise<void>((resolve) => {
      const onSignal = () => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
    log(`logtap recv listening on ${address}, writing to ${args.dir}`);
    const stopStats = statsEvery > 0 ? startStatsLine(receiver, maxDiskBytes, log, statsEvery) : () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const elapsed = new Promise<void>((resolve) => {
      if (durationMs > 0) timer = setTimeout(resolve, durationMs);
    });
    await Promise.race([signalled, elapsed]);
    clearTimeout(timer);
    log("shutting down...");
    stopStats();
    const totals = await receiver.stop();
    await notifier.stop(totals, receiver.metrics.diskUsage.value);
    log(`done: ${totals.lines} lines, ${totals.bytes} bytes written`);
    if (json) await writeStdout(`${JSON.stringify(runSummary(receiver, totals))}\n`);
    return 0;
  },
});

/** Redaction settings are user input: a missing patterns file is "not found", anything else a usage error. */
function toCliError(e: Error): Error {
  return /no such file/i.test(e.message) ? new NotFoundError(e.message) : new UsageError(e.message);
}

function asUsageError<T>(kind: new (...a: never[]) => Error, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof kind ? toCliError(e) : e;
  }
}

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw code === "ENOENT" ? new NotFoundError(`read --${flag}: open ${path}: ${reason}`) : new UsageError(`read --${flag}: ${path}: ${reason}`);
  }
}

function buildNotifier(args: { webhook?: string; "webhook-events"?: string; "webhook-auth"?: string; "alert-rules"?: string }, dir: string, maxDisk: number): ReceiverNotifier {
  const urls = (args.webhook ?? "").split(REPEAT_SEPARATOR).flatMap((v) => v.split(",")).map((u) => u.trim()).filter(Boolean);
  for (const u of urls) if (!/^https?:\/\//.test(u)) throw new UsageError(`invalid --webhook: "${u}": expected an http(s) URL`);
  const events = (args["webhook-events"] ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  for (const e of events) if (!WEBHOOK_EVENTS.includes(e as WebhookEventName)) throw new UsageError(`invalid --webhook-events: unknown event "${e}" (valid: ${WEBHOOK_EVENTS.join(", ")})`);
  let auth = null;
  try {
    auth = args["webhook-auth"] ? parseWebhookAuth(args["webhook-auth"]) : null;
  } catch (e) {
    throw e instanceof WebhookAuthError ? new UsageError(`invalid --webhook-auth: ${e.message}`) : e;
  }
  let alerts = null;
  try {
    alerts = args["alert-rules"] ? new AlertEvaluator(loadAlertRules(args["alert-rules"])) : null;
  } catch (e) {
    if (!(e instanceof AlertRulesError)) throw e;
    const message = `load alert rules: ${e.message}`;
    throw /no such file/.test(message) ? new NotFoundError(message) : new UsageError(message);
  }
  const log = (url: string, reason: string) => process.stderr.write(`warning: webhook ${url}: ${reason}\n`);
  const dispatcher = urls.length > 0 ? new WebhookDispatcher({ urls, events: events as WebhookEventName[], auth, onFailure: log }) : null;
  return new ReceiverNotifier({ dispatcher, alerts, dir, maxDisk });
}
