/**
 * The shape every push endpoint shares: read the body, decode it whole (on a worker), hand it to the intake, answer
 * 204 or a one-line error.
 */

import { PushDecodeError } from "../../protocols/push-decode-error.ts";
import type { PushIntake, PushKind } from "../../recv/push-intake.ts";
import type { ReceiverMetrics } from "../../recv/receiver-metrics.ts";
import { HttpError } from "../http-error.ts";
import type { PushDecodePool } from "../push-decode-pool.ts";
import type { PushFormat } from "../push-formats.ts";
import { readRequestBody, type BodyLimits } from "../request-body.ts";

export interface PushContext {
  intake: PushIntake;
  metrics: ReceiverMetrics;
  limits: BodyLimits;
  decodePool: PushDecodePool;
}

/** Which body format a request carries (its Content-Type decides for Loki's endpoints). */
export type FormatOf = (req: Request) => PushFormat;

export function textReply(status: number, message: string): Response {
  return new Response(message + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export function pushHandler(kind: PushKind, formatOf: FormatOf) {
  return async (req: Request, remote: string, ctx: PushContext): Promise<Response> => {
    const started = performance.now();
    ctx.metrics.activeConnections.inc();
    try {
      const body = await readRequestBody(req, ctx.limits);
      // Decoding completes before anything is queued: a malformed request writes nothing.
      ctx.intake.accept(await ctx.decodePool.decode(formatOf(req), body, ctx.limits.maxDecoded), kind, remote, started);
      return new Response(null, { status: 204 });
    } catch (e) {
      const status = e instanceof HttpError ? e.status : e instanceof PushDecodeError ? 400 : 500;
      ctx.metrics.requestsRejected.inc(String(status));
      const message = status === 500 ? `internal error: ${(e as Error).message}` : (e as Error).message;
      const reply = textReply(status, message.split("\n")[0]!);
      // Loki sends no Retry-After; clients back off on their own, but a hint costs nothing.
      if (status === 429) reply.headers.set("retry-after", "1");
      return reply;
    } finally {
      ctx.metrics.activeConnections.dec();
      ctx.metrics.pushDuration.observe((performance.now() - started) / 1000);
    }
  };
}
