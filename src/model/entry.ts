/** The unit of data every source, stage and sink moves: log entries, always in batches. */

/** Label set of a stream. Entries of one pushed stream share one object, so per-stream work can be cached by identity. */
export type Labels = Readonly<Record<string, string>>;

/**
 * One log line. `sec`/`nsec` is the timestamp split the way protobuf's Timestamp and Go's time.Time hold it:
 * exact to the nanosecond without BigInt arithmetic on the hot path.
 */
export interface Entry {
  sec: number;
  nsec: number;
  labels: Labels;
  msg: string;
  /** Loki structured metadata (or OTLP attributes); written as `meta` in the capture line. */
  meta?: Readonly<Record<string, string>>;
}

/** A chunk flowing between stages: hundreds to thousands of entries, never one per line. */
export interface EntryBatch {
  entries: Entry[];
}

export const EMPTY_LABELS: Labels = Object.freeze({});
