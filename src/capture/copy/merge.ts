/**
 * `logtap merge` (upstream §14): the data files of several captures copied byte for byte into one new capture
 * (source order, then name order; names that are taken get a new sequence number), one index sorted by `from`,
 * and metadata that sums and unions the sources'. Never copies audit.jsonl or manifest.sha256 (not data — Q1).
 *
 * `--clock-correct` (upstream §14.1, src/analysis/clock/clock-correct.ts) runs before mergeCaptures: it rewrites
 * each skewed source into a temporary capture with shifted timestamps and passes that capture in place of the
 * source (keeping the original path as `label`); its ClockCorrection records are reported by the command.
 */

import { chmodSync, constants, copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { INDEX_FILE, isDataFileName } from "../data-files.ts";
import { scanOrphan } from "../inspect/orphan-scan.ts";
import { DIR_MODE, FILE_MODE } from "../file-modes.ts";
import { formatIndexLine, type IndexEntry } from "../index-file.ts";
import { writeMetadata, type Metadata, type Redaction } from "../metadata.ts";
import { isZeroInstant, parseRfc3339, ZERO_TIME_TEXT, type Instant } from "../timestamp.ts";

export interface MergeSource {
  /** The capture directory to copy from (for a clock-corrected source: its rewritten temporary copy). */
  dir: string;
  /** How reports name the source: the path the user gave. */
  label: string;
  metadata: Metadata;
  index: readonly IndexEntry[];
}

/** Upstream §14.1's correction record, reported in merge's JSON as `clock_corrections`. */
export interface ClockCorrection {
  source: string;
  offset_ms: number;
  confidence: number;
  method: "error_signature" | "metadata_overlap";
}

export interface MergeResult {
  /** Data files in the output. */
  files: number;
  /** Their size on disk. */
  bytes: number;
  /** Lines: index counts of indexed files plus the lines of the unindexed ones. */
  lines: number;
}

const SUFFIXES = [".jsonl.zst", ".jsonl"];

/**
 * A name not in `used` for a copy of `name` (upstream's rule): `…-000.jsonl` → `…-001.jsonl` (the first free
 * 3-digit sequence after the last `-`), a name without `-` gets `-m001`, `-m002`…
 */
export function mergedName(name: string, used: ReadonlySet<string>): string {
  if (!used.has(name)) return name;
  const suffix = SUFFIXES.find((s) => name.endsWith(s)) ?? "";
  const base = name.slice(0, name.length - suffix.length);
  const dash = base.lastIndexOf("-");
  if (dash >= 0) {
    for (let n = 1; n <= 999; n++) {
      const candidate = `${base.slice(0, dash + 1)}${String(n).padStart(3, "0")}${suffix}`;
      if (!used.has(candidate)) return candidate;
    }
  }
  for (let n = 1; ; n++) {
    const candidate = `${base}-m${String(n).padStart(3, "0")}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

function instant(text: unknown): Instant | null {
  if (typeof text !== "string") return null;
  const t = parseRfc3339(text);
  return t === null || isZeroInstant(t) ? null : t;
}

const before = (a: Instant, b: Instant) => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);

/** Index entries ordered by `from` (stable; unparsable times first, as the zero time would be). */
export function sortIndexByFrom(entries: IndexEntry[]): IndexEntry[] {
  const keyed = entries.map((e) => ({ e, t: instant(e.from) }));
  keyed.sort((a, b) => (a.t === null ? (b.t === null ? 0 : -1) : b.t === null ? 1 : before(a.t, b.t) ? -1 : before(b.t, a.t) ? 1 : 0));
  return keyed.map((k) => k.e);
}

/**
 * Upstream's merged metadata: version 1, jsonl, summed totals, `started` = the earliest index `from` (else the
 * earliest source start), `stopped` = the later of the latest source stop and the latest index `to` (upstream took
 * the `to` of the entry that sorts last by `from`, which need not be the latest), label keys of sources and index,
 * the redaction of the last source that had one.
 */
export function mergedMetadata(sources: readonly MergeSource[], index: readonly IndexEntry[]): Metadata {
  let lines = 0;
  let bytes = 0;
  const labels = new Set<string>();
  let redaction: Redaction | undefined;
  type Bound = { t: Instant; text: string } | null;
  const range: { started: Bound; stopped: Bound } = { started: null, stopped: null };
  const earliest = (text: unknown) => {
    const t = instant(text);
    if (t && (range.started === null || before(t, range.started.t))) range.started = { t, text: text as string };
  };
  const latest = (text: unknown) => {
    const t = instant(text);
    if (t && (range.stopped === null || before(range.stopped.t, t))) range.stopped = { t, text: text as string };
  };
  for (const s of sources) {
    const m = s.metadata;
    lines += Number(m.total_lines) || 0;
    bytes += Number(m.total_bytes) || 0;
    for (const k of Array.isArray(m.labels_seen) ? m.labels_seen : []) if (typeof k === "string") labels.add(k);
    if (m.redaction && m.redaction.enabled) redaction = m.redaction;
    latest(m.stopped);
  }
  for (const e of index) {
    earliest(e.from);
    latest(e.to);
    for (const k of Object.keys(e.labels ?? {})) labels.add(k);
  }
  if (index.length === 0) for (const s of sources) earliest(s.metadata.started);
  const m: Metadata = {
    version: 1,
    format: "jsonl",
    started: range.started?.text ?? ZERO_TIME_TEXT,
    stopped: range.stopped?.text ?? ZERO_TIME_TEXT,
    total_lines: lines,
    total_bytes: bytes,
    labels_seen: labels.size > 0 ? [...labels].sort() : null,
  };
  if (redaction !== undefined) m.redaction = redaction;
  return m;
}

/** Copies every source into `out` (created 0700; must be checked by the caller) and writes index and metadata. */
export function mergeCaptures(sources: readonly MergeSource[], out: string, onProgress?: (copied: number, total: number) => void): MergeResult {
  const plan: { source: MergeSource; name: string; index?: IndexEntry }[] = [];
  for (const source of sources) {
    const byFile = new Map<string, IndexEntry>();
    for (const e of source.index) byFile.set(e.file, e);
    for (const name of readdirSync(source.dir).filter(isDataFileName).sort()) plan.push({ source, name, index: byFile.get(name) });
  }
  mkdirSync(out, { recursive: true, mode: DIR_MODE });
  chmodSync(out, DIR_MODE);
  const used = new Set<string>();
  const index: IndexEntry[] = [];
  const result: MergeResult = { files: 0, bytes: 0, lines: 0 };
  for (let i = 0; i < plan.length; i++) {
    const { source, name, index: entry } = plan[i]!;
    const outName = mergedName(name, used);
    const dest = join(out, outName);
    try {
      copyFileSync(join(source.dir, name), dest, constants.COPYFILE_EXCL);
    } catch (e) {
      // A live source rotated or deleted the file since the listing: it is simply not part of the merge.
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw e;
    }
    chmodSync(dest, FILE_MODE);
    used.add(outName);
    result.files++;
    result.bytes += statSync(dest).size;
    if (entry) {
      index.push({ ...entry, file: outName });
      result.lines += Number(entry.lines) || 0;
    } else result.lines += scanOrphan(out, outName, () => {}).lines;
    onProgress?.(i + 1, plan.length);
  }
  const sorted = sortIndexByFrom(index);
  if (sorted.length > 0) writeFileSync(join(out, INDEX_FILE), sorted.map((e) => formatIndexLine(e) + "\n").join(""), { mode: FILE_MODE });
  writeMetadata(out, mergedMetadata(sources, sorted));
  return result;
}
