/**
 * The Parquet schema of `logtap export --format parquet` (upstream §10), in field order:
 *
 * | column | Parquet type | DuckDB type |
 * |---|---|---|
 * | `ts` | INT64, TIMESTAMP(isAdjustedToUTC=true, unit=NANOS), required — Unix nanoseconds | `TIMESTAMP_NS` |
 * | `labels` | MAP<STRING, STRING>, required (empty map when the entry has none) | `MAP(VARCHAR, VARCHAR)` |
 * | `msg` | BYTE_ARRAY UTF8 (STRING), required | `VARCHAR` |
 * | `meta` | MAP<STRING, STRING>, optional — Loki structured metadata, NULL when the entry has none | `MAP(VARCHAR, VARCHAR)` |
 *
 * | `pattern` | BYTE_ARRAY UTF8, optional — with `--with-pattern`: the log pattern (NULL when ungrouped) | `VARCHAR` |
 * | `pattern_id` | BYTE_ARRAY UTF8, optional — its id, as `logtap patterns --json` prints it | `VARCHAR` |
 *
 * `meta` and the pattern columns are logtap additions after the upstream columns; readers that select
 * `ts, labels, msg` see upstream's schema.
 */

import type { SchemaElement } from "hyparquet";

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } } as const;

function stringMap(name: string, repetition: "REQUIRED" | "OPTIONAL"): SchemaElement[] {
  return [
    { name, repetition_type: repetition, num_children: 1, converted_type: "MAP", logical_type: { type: "MAP" } },
    { name: "key_value", repetition_type: "REPEATED", num_children: 2 },
    { name: "key", repetition_type: "REQUIRED", ...STRING },
    { name: "value", repetition_type: "OPTIONAL", ...STRING },
  ];
}

/** Every column name an export can write (a partition column may not take one). */
export const PARQUET_COLUMNS = ["ts", "labels", "msg", "meta", "pattern", "pattern_id"] as const;

const BASE_SCHEMA: SchemaElement[] = [
  { name: "ts", type: "INT64", repetition_type: "REQUIRED", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" } },
  ...stringMap("labels", "REQUIRED"),
  { name: "msg", repetition_type: "REQUIRED", ...STRING },
  ...stringMap("meta", "OPTIONAL"),
];

export const PARQUET_SCHEMA: SchemaElement[] = [{ name: "schema", num_children: 4 }, ...BASE_SCHEMA];

export const PARQUET_SCHEMA_WITH_PATTERN: SchemaElement[] = [
  { name: "schema", num_children: 6 },
  ...BASE_SCHEMA,
  { name: "pattern", repetition_type: "OPTIONAL", ...STRING },
  { name: "pattern_id", repetition_type: "OPTIONAL", ...STRING },
];

/** A map column value as the writer's Dremel encoder takes it: entries in key order. */
export type MapValue = { key: string; value: string }[];
