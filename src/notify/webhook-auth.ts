/** `--webhook-auth`: `bearer:<token>` or `hmac-sha256:<secret>` (upstream §3.11), turned into request headers. */

import { createHmac } from "node:crypto";

export type WebhookAuth = { mode: "bearer"; token: string } | { mode: "hmac-sha256"; secret: string };

export class WebhookAuthError extends Error {}

export function parseWebhookAuth(spec: string): WebhookAuth {
  const i = spec.indexOf(":");
  if (i < 0 || i === spec.length - 1) {
    throw new WebhookAuthError('invalid webhook auth format: expected "bearer:<token>" or "hmac-sha256:<secret>"');
  }
  const mode = spec.slice(0, i);
  const value = spec.slice(i + 1);
  if (mode === "bearer") return { mode, token: value };
  if (mode === "hmac-sha256") return { mode, secret: value };
  throw new WebhookAuthError(`unsupported webhook auth mode: "${mode}" (use bearer or hmac-sha256)`);
}

/** Headers for one delivery; the HMAC covers the exact body bytes sent. */
export function authHeaders(auth: WebhookAuth | null, body: string): Record<string, string> {
  if (auth === null) return {};
  if (auth.mode === "bearer") return { authorization: `Bearer ${auth.token}` };
  return { "x-logtap-signature": `sha256=${createHmac("sha256", auth.secret).update(body).digest("hex")}` };
}
