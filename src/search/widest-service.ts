/**
 * The longest service name (display-line.ts's `serviceOf`, `-` for none) any line of these files that passes the
 * label filters can have. An `app=v` filter names it; otherwise the index entries' label counts tell (upstream §2.5:
 * omitted when no line had labels), null when a file has no index entry: with every line labelled `app` (its counts
 * add up to the file's lines) the names are its values, else any label's value may be one.
 */

import type { PlannedFile } from "../capture/reader/read-plan.ts";
import type { LabelFilter } from "../capture/filters/label-filter.ts";

export function widestService(files: readonly PlannedFile[], labels: readonly LabelFilter[] = []): number | null {
  const app = labels.find((f) => f.key === "app");
  if (app !== undefined) return (app.value || "-").length;
  let widest = 0;
  const consider = (name: string) => (widest = Math.max(widest, (name || "-").length));
  for (const f of files) {
    if (f.index === undefined) return null;
    const counts = f.index.labels ?? {};
    const apps = counts.app;
    const everyLineHasApp = apps !== undefined && Object.values(apps).reduce((a, n) => a + n, 0) === f.index.lines;
    if (everyLineHasApp) for (const v of Object.keys(apps)) consider(v);
    else {
      consider("-");
      for (const values of Object.values(counts)) for (const v of Object.keys(values)) consider(v);
    }
  }
  return widest;
}
