/**
 * The triage scan of a whole capture (upstream §11.2 steps 1–3): plan once, scan the units in the main thread or on
 * workers, merge the tallies in plan order, then a catch-up pass over data files that appeared meanwhile (a live
 * receiver rotated). Files removed during the scan (the disk cap deletes the oldest) are skipped with a note.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { EntryFilter } from "../../capture/filters/entry-filter.ts";
import { planCapture, type PlannedFile } from "../../capture/reader/read-plan.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import type { UnitResult } from "./scan-unit.ts";
import { scanUnits, type ScanUnit } from "./scan-units.ts";
import { ScanThreads } from "./scan-workers.ts";
import { TriageTotals } from "./triage-totals.ts";

export interface ScanOptions {
  jobs: number;
  bucketSec: number;
  maxSignatures: number;
  onProblem?: (p: ReadProblem) => void;
  /** One-line notes for stderr: catch-up pass, skipped files. */
  onNote?: (text: string) => void;
  onProgress?: (scanned: number, expected: number) => void;
}

export interface ScanOutcome {
  totals: TriageTotals;
  problems: ReadProblem[];
}

export async function scanCapture(dir: string, opts: ScanOptions): Promise<ScanOutcome> {
  const all = new EntryFilter();
  const first = planCapture(dir, all).files;
  const totals = new TriageTotals(opts.maxSignatures);
  const problems: ReadProblem[] = [];
  const firstUnits = scanUnits(first);
  const threads = new ScanThreads(Math.max(1, Math.min(opts.jobs, firstUnits.length)));
  let expected = firstUnits.reduce((n, u) => n + u.expectedLines, 0);
  let scanned = 0;
  const vanished = new Set<string>();

  const pass = async (units: ScanUnit[]) => {
    const pending: (Promise<UnitResult> | undefined)[] = units.map((u) => {
      const p = threads.run({ dir, file: u.file, bucketSec: opts.bucketSec });
      p.then((r) => {
        scanned += r.tally.lines;
        opts.onProgress?.(scanned, Math.max(expected, scanned));
      }, () => undefined);
      return p;
    });
    for (let i = 0; i < units.length; i++) {
      const r = await pending[i]!;
      // A settled promise keeps its tally alive: drop it once merged, or every unit's signatures stay in memory.
      pending[i] = undefined;
      for (const p of r.problems) {
        problems.push(p);
        opts.onProblem?.(p);
      }
      totals.absorb(r.tally);
      const name = units[i]!.file.name;
      if (r.tally.lines === 0 && !vanished.has(name) && !existsSync(join(dir, name))) {
        vanished.add(name);
        opts.onNote?.(`Skipping rotated file: ${name} (removed during the scan)`);
      }
    }
  };

  try {
    await pass(firstUnits);
    const seen = new Set(first.map((f: PlannedFile) => f.name));
    const added = planCapture(dir, all).files.filter((f) => !seen.has(f.name));
    if (added.length > 0) {
      opts.onNote?.(`Catch-up: scanning ${added.length} new ${added.length === 1 ? "file" : "files"} added during triage`);
      const units = scanUnits(added);
      expected += units.reduce((n, u) => n + u.expectedLines, 0);
      await pass(units);
    }
  } finally {
    threads.close();
  }
  return { totals, problems };
}
