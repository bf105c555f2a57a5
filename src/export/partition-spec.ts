/**
 * `--partition-by hour|<label-key>[,…]`: which Hive-style directories an entry goes to.
 *
 * Each field becomes one directory level, in the order given: `--partition-by hour,app` writes
 * `hour=2024-01-15T10/app=web/part-0.parquet`. `hour` is the entry's UTC hour (`YYYY-MM-DDTHH`, no `:` so it
 * needs no escaping); any other name is a label key. Keys and values are escaped the way Hive and Spark escape
 * partition paths (`/` → `%2F`, `=` → `%3D`, `%` → `%25`, control characters, `"#'*:?\{[]^` and DEL); a missing or
 * empty label becomes `__HIVE_DEFAULT_PARTITION__`, which DuckDB, Spark, Trino and Athena read as NULL.
 */

import type { Entry } from "../model/entry.ts";
import { UsageError } from "../common/errors.ts";
import { PARQUET_COLUMNS } from "./parquet-schema.ts";

export const HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

export type PartitionField = { kind: "hour"; name: "hour" } | { kind: "label"; name: string };

export function parsePartitionBy(text: string): PartitionField[] {
  const names = text.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) throw new UsageError(`invalid --partition-by "${text}": expected hour or label keys, comma-separated`);
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw new UsageError(`invalid --partition-by "${text}": "${name}" is given twice`);
    seen.add(name);
    // A partition column with a data column's name would shadow it in every Hive-aware reader.
    if ((PARQUET_COLUMNS as readonly string[]).includes(name))
      throw new UsageError(`invalid --partition-by "${text}": "${name}" is a column name (${PARQUET_COLUMNS.join(", ")})`);
    return name === "hour" ? { kind: "hour", name } : { kind: "label", name };
  });
}

// Hive's FileUtils.escapePathName / Spark's ExternalCatalogUtils set, plus NUL (never valid in a file name).
const HIVE_UNSAFE = /[\x00-\x1f"#%'*/:=?\\\x7f{[\]^]/g;

export function escapeHivePathPart(s: string): string {
  return s.replace(HIVE_UNSAFE, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

/** `YYYY-MM-DDTHH` in UTC for an hour number (seconds / 3600). */
export function hourValue(hour: number): string {
  const d = new Date(hour * 3_600_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}`;
}

/** Computes the relative partition directory of entries, caching the parts that repeat (hours, label values). */
export class PartitionPaths {
  readonly #fields: PartitionField[];
  readonly #keys: string[];
  #hour = Number.NaN;
  #hourPart = "";
  readonly #valueParts: Map<string, string>[];

  constructor(fields: PartitionField[]) {
    this.#fields = fields;
    this.#keys = fields.map((f) => escapeHivePathPart(f.name));
    this.#valueParts = fields.map(() => new Map());
  }

  /** e.g. `hour=2024-01-15T10/app=web` */
  pathOf(e: Entry): string {
    let out = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const f = this.#fields[i]!;
      if (i > 0) out += "/";
      if (f.kind === "hour") {
        const h = Math.floor(e.sec / 3600);
        if (h !== this.#hour) {
          this.#hour = h;
          this.#hourPart = `${this.#keys[i]}=${hourValue(h)}`;
        }
        out += this.#hourPart;
      } else {
        const v = e.labels[f.name];
        const cache = this.#valueParts[i]!;
        const key = v ?? "";
        let part = cache.get(key);
        if (part === undefined) {
          part = `${this.#keys[i]}=${key === "" ? HIVE_DEFAULT_PARTITION : escapeHivePathPart(key)}`;
          // Bounded: high-cardinality labels must not grow memory without limit.
          if (cache.size >= 4096) cache.clear();
          cache.set(key, part);
        }
        out += part;
      }
    }
    return out;
  }
}
