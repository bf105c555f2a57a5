/**
 * The longest service name (display-line.ts's `serviceOf`, `-` for none) any line of these files can have, from
 * their index entries' label counts (upstream §2.5: omitted when no line had labels); null when a file has no index
 * entry. With every line labelled `app` (its counts add up to the file's lines) the names are its values; otherwise
 * any label's value may be one.
 */

import type { PlannedFile } from "../capture/reader/read-plan.ts";

export function widestService(files: readonly PlannedFile[]): number | null {
  let widest = 0;
  const consider = (name: string) => (widest = Math.max(widest, (name || "-").length));
  for (const f of files) {
    if (f.index === undefined) return null;
    const labels = f.index.labels ?? {};
    const app = labels.app;
    const everyLineHasApp = app !== undefined && Object.values(app).reduce((a, n) => a + n, 0) === f.index.lines;
    if (everyLineHasApp) for (const v of Object.keys(app)) consider(v);
    else {
      consider("-");
      for (const values of Object.values(labels)) for (const v of Object.keys(values)) consider(v);
    }
  }
  return widest;
}
