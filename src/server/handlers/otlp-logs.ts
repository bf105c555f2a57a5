/**
 * `POST /otlp/v1/logs`: OTLP/HTTP logs as Loki's native OTLP endpoint takes them (protocols-and-peers.md §1 "OTLP";
 * mapping in src/protocols/otlp/logs-to-entries.ts). The push-handler flow — read the body within limits and undo
 * its Content-Encoding, decode the whole request before anything is queued, hand it to the intake — with OTLP/HTTP's
 * replies instead of 204: 200 + `ExportLogsServiceResponse` (partial success for records not taken, including those
 * `--on-overload drop` dropped), errors as a `google.rpc.Status`, each in the request's encoding; an unsupported
 * Content-Type is a plain-text 415.
 */

import { PushDecodeError } from "../../protocols/push-decode-error.ts";
import { exportResponse, statusResponse, type OtlpFormat } from "../../protocols/otlp/export-response.ts";
import { HttpError } from "../http-error.ts";
import { readRequestBody } from "../request-body.ts";
import { textReply, type PushContext } from "./push-handler.ts";

function requestFormat(req: Request): OtlpFormat {
  const raw = req.headers.get("content-type") ?? "";
  const type = raw.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-protobuf") return "protobuf";
  if (type === "application/json") return "json";
  throw new HttpError(415, `Content-Type ${JSON.stringify(raw)} not supported (use application/x-protobuf or application/json)`);
}

export async function otlpLogs(req: Request, remote: string, ctx: PushContext): Promise<Response> {
  const started = performance.now();
  ctx.metrics.activeConnections.inc();
  let format: OtlpFormat | undefined;
  try {
    format = requestFormat(req);
    // readRequestBody lets `snappy` through for Loki's protobuf; OTLP has no snappy (the collector sends gzip or zstd).
    const encoding = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
    if (encoding === "snappy") throw new HttpError(415, `Content-Encoding "snappy" not supported on OTLP (use gzip, deflate or zstd)`);
    const body = await readRequestBody(req, ctx.limits);
    // Decoding completes before anything is queued: a malformed request writes nothing.
    // Decoded (and redacted) on a decode worker, like every push.
    const decoded = await ctx.decodePool.decode(format === "json" ? "otlp-json" : "otlp-proto", body, ctx.limits.maxDecoded);
    const accepted = ctx.intake.accept(decoded, "otlp_push_received", remote, started);
    const dropped = decoded.entries.length - accepted;
    if (dropped === 0) return exportResponse(format, decoded.rejected, decoded.errorMessage);
    // Entries the full writer queue refused (already counted as dropped) are reported as rejected too.
    const queueFull = `${dropped} log records dropped: receiver queue full`;
    return exportResponse(format, decoded.rejected + dropped, decoded.rejected === 0 ? queueFull : `${queueFull}; ${decoded.errorMessage}`);
  } catch (e) {
    const status = e instanceof HttpError ? e.status : e instanceof PushDecodeError ? 400 : 500;
    ctx.metrics.requestsRejected.inc(String(status));
    const message = (status === 500 ? `internal error: ${(e as Error).message}` : (e as Error).message).split("\n")[0]!;
    const reply = format === undefined ? textReply(status, message) : statusResponse(format, status, message);
    // 429 (`--on-overload 429`) and 503 are retryable in OTLP/HTTP; exporters honour Retry-After.
    if (status === 429 || status === 503) reply.headers.set("retry-after", "1");
    return reply;
  } finally {
    ctx.metrics.activeConnections.dec();
    ctx.metrics.pushDuration.observe((performance.now() - started) / 1000);
  }
}
