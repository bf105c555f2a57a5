/**
 * The rules of `logtap slice` (upstream §9 with its Q10 fixes) that are not plain reading: its label flag syntax
 * and the metadata of the new capture.
 */

import { UsageError } from "../../common/errors.ts";
import type { LabelFilter } from "../filters/label-filter.ts";
import type { Metadata } from "../metadata.ts";
import { formatInstantOf } from "../timestamp.ts";
import type { LineCopyTotals } from "./line-copy-writer.ts";

/**
 * Slice's `--label` (upstream): repeatable, never comma-split (a value may contain commas), split at the first `=`,
 * key and value both non-empty. Filters are AND-ed per line (upstream OR-ed them per file — its quirk Q10).
 */
export function parseSliceLabels(values: readonly string[]): LabelFilter[] {
  return values.map((text) => {
    const i = text.indexOf("=");
    if (i <= 0 || i === text.length - 1) throw new UsageError(`invalid --label format '${text}': expected key=value`);
    return { key: text.slice(0, i), value: text.slice(i + 1) };
  });
}

/**
 * Metadata of a slice: version, format and redaction of the source; started/stopped = earliest/latest copied
 * timestamp; totals and label keys of what was copied (upstream left `labels_seen` null).
 */
export function sliceMetadata(source: Metadata, totals: LineCopyTotals): Metadata {
  const m: Metadata = {
    version: typeof source.version === "number" ? source.version : 1,
    format: typeof source.format === "string" && source.format !== "" ? source.format : "jsonl",
    started: formatInstantOf(totals.from!),
    stopped: formatInstantOf(totals.to!),
    total_lines: totals.lines,
    total_bytes: totals.bytes,
    labels_seen: totals.labelKeys.length > 0 ? totals.labelKeys : null,
  };
  if (source.redaction !== undefined && source.redaction !== null) m.redaction = source.redaction;
  return m;
}
