/**
 * Encoding a Parquet row group leaves tens of megabytes of short-lived garbage (level arrays, encoded strings,
 * pages). JavaScriptCore collects it lazily, so without help the resident size of a long export climbs with the
 * row-group size and stays there. After each row group, a full collection runs if the process has grown past a
 * threshold: with row groups capped at ~16 MB of buffered rows this keeps the peak near 250 MB for any capture size.
 */

export const GC_THRESHOLD_BYTES = 224 << 20;

export function relieveMemory(threshold = GC_THRESHOLD_BYTES): void {
  if (process.memoryUsage.rss() > threshold) Bun.gc(true);
}
