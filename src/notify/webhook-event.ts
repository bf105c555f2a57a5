/** Webhook payloads (upstream §3.11, A.4): compact JSON, fields in a fixed order, empty ones left out. */

import { formatInstantOf, nowInstant } from "../capture/timestamp.ts";

export const WEBHOOK_EVENTS = ["start", "stop", "rotation", "error", "disk-warning", "alert"] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookStats {
  lines_written: number;
  bytes_written: number;
  disk_usage: number;
  disk_cap: number;
}

export interface WebhookEvent {
  event: WebhookEventName;
  dir?: string;
  stats?: WebhookStats;
  detail?: string;
}

export function webhookBody(e: WebhookEvent): string {
  const o: Record<string, unknown> = { event: e.event, timestamp: formatInstantOf(nowInstant()) };
  if (e.dir) o.dir = e.dir;
  if (e.stats) o.stats = e.stats;
  if (e.detail) o.detail = e.detail;
  return JSON.stringify(o);
}
