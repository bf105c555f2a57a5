/**
 * Writes triage's files into `--out` (upstream §11.7). They quote log lines, so they get the capture's modes
 * (directory 0700, files 0600) rather than upstream's 0755/0644.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIR_MODE, FILE_MODE } from "../../capture/file-modes.ts";
import { sequenceDiagram } from "./sequence-diagram.ts";
import { summaryMarkdown, timelineCsv, topErrorsText, topTalkersText, windowsFile } from "./text-artifacts.ts";
import { triageHtml } from "./triage-html.ts";
import type { TriageResult } from "./triage-result.ts";

export function writeTriageArtifacts(out: string, r: TriageResult, opts: { html: boolean }): string[] {
  mkdirSync(out, { recursive: true, mode: DIR_MODE });
  const files: [string, string][] = [
    ["summary.md", summaryMarkdown(r)],
    ["timeline.csv", timelineCsv(r)],
    ["top_errors.txt", topErrorsText(r)],
    ["top_talkers.txt", topTalkersText(r)],
    ["windows.json", windowsFile(r)],
    ["sequence.txt", sequenceDiagram(r.correlations)],
  ];
  if (opts.html) files.push(["report.html", triageHtml(r)]);
  for (const [name, text] of files) writeFileSync(join(out, name), text, { mode: FILE_MODE });
  return files.map(([name]) => join(out, name));
}
