/** The output formats of `logtap export` (upstream §10) and the file extension each gets. */

import { UsageError } from "../common/errors.ts";

export type ExportFormat = "jsonl" | "csv" | "parquet";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["parquet", "csv", "jsonl"];

/** `--format json` is not an alias here (export has its own --format): it is an unsupported format, exit 2. */
export function parseExportFormat(text: string | undefined): ExportFormat {
  if (text === undefined || text === "") throw new UsageError("--format is required (parquet, csv or jsonl)");
  if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
  throw new UsageError(`unsupported format "${text}": expected parquet, csv, or jsonl`);
}

export function formatExtension(format: ExportFormat): string {
  return `.${format}`;
}
