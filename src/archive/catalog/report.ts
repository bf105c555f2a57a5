/** Text table and JSON of `catalog` (upstream §15; no captures is `[]` in JSON, not upstream's `null`). */

import { formatBytes, formatCount } from "../../common/format.ts";
import { wallClock } from "../capture-time.ts";
import { goJsonDocument as goJson } from "../../capture/go-json.ts";
import type { CatalogEntry } from "./discover.ts";

/** Go's tabwriter with padding 2: every column but the last padded to its widest cell plus two spaces. */
export function alignColumns(rows: readonly string[][]): string {
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + " ".repeat(widths[i]! - width(cell) + 2) : cell)).join("") + "\n").join("");
}

export function catalogText(entries: readonly CatalogEntry[]): string {
  if (entries.length === 0) return "No captures found.\n";
  const rows = [["CAPTURE", "STARTED", "STOPPED", "FILES", "ENTRIES", "SIZE"]];
  for (const e of entries) {
    rows.push([
      e.dir,
      wallClock(e.started, false),
      e.active ? "(active)" : wallClock(e.stopped, false),
      String(e.files),
      formatCount(e.entries),
      formatBytes(e.bytes).replace(" ", ""),
    ]);
  }
  return alignColumns(rows);
}

export function catalogJson(entries: readonly CatalogEntry[]): string {
  return goJson(
    entries.map((e) => ({
      dir: e.dir,
      started: e.started.text,
      stopped: e.stopped.text,
      files: e.files,
      entries: e.entries,
      bytes: e.bytes,
      active: e.active,
      ...(e.labels.length > 0 ? { labels: e.labels } : {}),
    })),
    true,
  );
}
