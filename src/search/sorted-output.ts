/**
 * grep's sorted output (`--format text`, `--sort`) as hits arrive: hits are printed as soon as nothing still to
 * come can precede them or change how they look — no later batch holds an earlier line (the reader's `laterFrom`,
 * from the index's frame times) and, as text, the widest service is known (the index tells the widest a line can
 * have: `widest-service.ts`; once a hit has it, no later one is wider). Until then, and for captures whose index
 * cannot tell, the hits wait, as upstream's grep keeps them all. Output is that of a stable sort of every hit by
 * time (scan order breaks ties), the bracketed service padded to the widest printed.
 */

import type { Instant } from "../capture/timestamp.ts";
import type { PlannedFile } from "../capture/reader/read-plan.ts";
import type { LabelFilter } from "../capture/filters/label-filter.ts";
import { PendingHits } from "./pending-hits.ts";
import { TextLinePrinter } from "./text-line-printer.ts";
import { JsonLinePrinter } from "./json-line-printer.ts";
import { widestService } from "./widest-service.ts";

/** Pending hits from which the ones before the bound are printed (fewer would sort the same hits again). */
const PRINT_AT = 1 << 16;

interface Printer {
  print(hits: PendingHits, order: Uint32Array, end: number): Promise<void>;
}

export class SortedOutput {
  readonly hits = new PendingHits();
  readonly #labels: readonly LabelFilter[];
  #printer: Printer | null;
  #widest: number | null = null;

  /** `labels`: the label filters every hit passes. */
  constructor(format: "text" | "json", labels: readonly LabelFilter[]) {
    this.#labels = labels;
    this.#printer = format === "json" ? new JsonLinePrinter() : null;
  }

  /** The files the reader plans to read (its `onPlan`). */
  readonly planned = (files: readonly PlannedFile[]): void => {
    this.#widest = widestService(files, this.#labels);
  };

  /** After the hits of a batch whose `laterFrom` is `bound` were added. */
  async afterBatch(bound: Instant | null | undefined): Promise<void> {
    const h = this.hits;
    if (this.#printer === null && this.#widest !== null && h.widest === this.#widest) this.#printer = new TextLinePrinter(this.#widest + 2);
    if (this.#printer !== null && bound != null && h.length >= PRINT_AT) await this.#printBefore(this.#printer, bound);
  }

  /** Prints what is left. */
  async finish(): Promise<void> {
    if (this.hits.length === 0) return;
    // Only text waits for its printer (the width): JSON's is made at once.
    await this.#printBefore(this.#printer ?? new TextLinePrinter(this.hits.widest + 2), null);
  }

  async #printBefore(printer: Printer, bound: Instant | null): Promise<void> {
    const { order, end } = this.hits.printable(bound);
    await printer.print(this.hits, order, end);
    this.hits.keep(order, end);
  }
}
