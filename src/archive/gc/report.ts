/** Text and JSON layouts of `gc` (upstream §20; an empty deletion list is `[]`, not upstream's `null`). */

import { formatBytes } from "../../common/format.ts";
import { wallClock } from "../capture-time.ts";
import { goJsonDocument as goJson } from "../../capture/go-json.ts";
import { formatHumanDuration } from "../../common/format.ts";
import type { GcResult } from "./gc.ts";

export function gcText(r: GcResult): string {
  const lines = [
    `Captures: ${r.captureCount}   Total size: ${formatBytes(r.totalBytes)}`,
    r.dryRun ? `Dry run: would delete ${r.deletions.length} capture(s)` : `Deleted ${r.deletions.length} capture(s)`,
  ];
  for (const d of r.deletions) {
    let line = `  ${d.dir}  ${formatBytes(d.sizeBytes)}  started ${d.started.zero ? "unknown" : wallClock(d.started, true)}`;
    const ageMs = r.nowMs - (d.started.instant.sec * 1000 + d.started.instant.nsec / 1e6);
    if (!d.started.zero && ageMs > 0) line += `  age ${formatHumanDuration(ageMs / 1000)}`;
    if (d.reasons.length > 0) line += `  (${d.reasons.join(", ")})`;
    lines.push(line);
  }
  return lines.join("\n") + "\n";
}

export function gcJson(r: GcResult): string {
  return goJson(
    r.deletions.map((d) => ({ dir: d.dir, started: d.started.text, size_bytes: d.sizeBytes, reasons: d.reasons })),
    true,
  );
}
