/** `logtap recv`: flags of upstream §3.1 (with the §26 fixes) → a running Receiver, stopped cleanly on SIGINT/SIGTERM. */

import { defineCommand } from "citty";
import { readFileSync } from "node:fs";
import { NotFoundError, UsageError } from "../cli/errors.ts";
import { parseSizeFlag } from "../cli/values/size.ts";
import { parseDurationFlag } from "../cli/values/duration.ts";
import { parseListen } from "../recv/listen-address.ts";
import { Receiver } from "../recv/receiver.ts";
import { startStatsLine } from "../recv/stats-line.ts";

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
    "stats-interval": { type: "string", default: "5s", description: "how often the headless status line is printed (0 = never)" },
    "tls-cert": { type: "string", description: "TLS certificate (PEM); needs --tls-key" },
    "tls-key": { type: "string", description: "TLS private key (PEM); needs --tls-cert" },
  },
  async run({ args }) {
    const log = (line: string) => process.stderr.write(line + "\n");
    if (!args.dir) throw new UsageError("--dir is required");
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
    const tls = args["tls-cert"] ? { cert: readFileSync(args["tls-cert"], "utf8"), key: readFileSync(args["tls-key"]!, "utf8") } : undefined;
    // Redaction code is only loaded when asked for.
    const redaction = args.redact === undefined ? null : await import("../redact/redactor.ts");
    const names = redaction === null ? null : asUsageError(redaction.RedactConfigError, () => redaction.parseRedactFlag(args.redact));
    if (names === null && args["redact-patterns"]) throw new UsageError("--redact-patterns needs --redact");

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
      log,
    }).catch((e) => {
      throw redaction !== null && e instanceof redaction.RedactConfigError ? toCliError(e) : e;
    });
    log(`logtap recv listening on ${listen.hostname.includes(":") ? `[${listen.hostname}]` : listen.hostname}:${receiver.port}, writing to ${args.dir}`);
    const stopStats = statsEvery > 0 ? startStatsLine(receiver, maxDiskBytes, log, statsEvery) : () => {};

    await new Promise<void>((resolve) => {
      const onSignal = () => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
    log("shutting down...");
    stopStats();
    const totals = await receiver.stop();
    log(`done: ${totals.lines} lines, ${totals.bytes} bytes written`);
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
