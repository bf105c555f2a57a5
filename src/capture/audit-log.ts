/**
 * `audit.jsonl` (upstream §2.6): append-only trail of the receiver. Beyond upstream's four events we also record
 * rotations and disk-cap deletions (security.md promised them), and `duration_ms` is really milliseconds (Q7).
 * Pushes and the stop also count entries with skewed timestamps (src/recv/push-skew.ts); Go readers ignore the keys.
 * `recv --follow` adds its start, its gaps (lines the cluster no longer had) and its budget warnings.
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AUDIT_FILE } from "./data-files.ts";
import { FILE_MODE } from "./file-modes.ts";
import { formatInstantOf, nowInstant } from "./timestamp.ts";
import { goQuote } from "./go-json.ts";

export type AuditEvent =
  | { event: "server_started" }
  | { event: "server_stopped"; skewed_old?: number; skewed_future?: number; follow_lines?: number; follow_gaps?: number }
  /** `recv --follow`: what is followed, then every stretch of lines that could not be read (never silent). */
  | { event: "follow_started"; targets: string; max_streams: number }
  | { event: "follow_gap"; reason: string; namespace: string; pod: string; container: string; container_id: string; after: string; before?: string }
  | { event: "follow_budget_reached"; max_streams: number; waiting: number }
  | {
      event: "loki_push_received" | "raw_push_received" | "otlp_push_received";
      remote_ip: string;
      lines: number;
      bytes: number;
      duration_ms: number;
      skewed_old?: number;
      skewed_future?: number;
      skewed_from?: string;
      skewed_to?: string;
    }
  | { event: "file_rotated"; file: string; lines: number; bytes: number }
  | { event: "file_deleted"; file: string; bytes: number; reason: string };

export class AuditLog {
  #fd: number;

  constructor(dir: string) {
    this.#fd = openSync(join(dir, AUDIT_FILE), "a", FILE_MODE);
  }

  record(e: AuditEvent): void {
    let line = `{"timestamp":"${formatInstantOf(nowInstant())}","event":"${e.event}"`;
    // Go's omitempty: zero numbers and empty strings are left out.
    for (const [k, v] of Object.entries(e)) {
      if (k === "event" || v === 0 || v === "" || v === undefined) continue;
      line += `,"${k}":${typeof v === "string" ? goQuote(v) : String(Math.round((v as number) * 1000) / 1000)}`;
    }
    writeSync(this.#fd, line + "}\n");
  }

  close(): void {
    closeSync(this.#fd);
  }
}
