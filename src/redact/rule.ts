/** One redaction pattern, applied to one message at a time. */
export interface Rule {
  /** The configured name: the `pattern` label of the hit counter and an entry of metadata.json `redaction.patterns`. */
  readonly name: string;
  /**
   * Returns `msg` with this pattern's matches replaced, and adds to `hits.count` what upstream counts: one per
   * replaced match for credit_card, one per changed message for every other pattern.
   */
  apply(msg: string, hits: HitCount): string;
}

/** Reused across calls so the per-message hot path allocates nothing for counting. */
export interface HitCount {
  count: number;
}
