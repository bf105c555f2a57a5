/** Damage found while reading a capture; readers report it and read on. */
export interface ReadProblem {
  file: string;
  offset: number;
  /** `torn-tail`: the last frame of a file is incomplete (a live file being written, or a crash). */
  kind: "corrupt" | "torn-tail";
  detail: string;
}

/** Shown of a line that is not an entry: enough to recognise it, never a screenful. */
const EXAMPLE_CHARS = 60;

/**
 * Lines of one frame (or plain-file chunk) that are not capture entries: bad JSON, a `ts` that is not RFC3339, labels
 * that are not strings. Upstream skips them without a word; a capture of another format would then read as empty.
 */
export class NonEntryLines {
  #count = 0;
  #example = "";

  add(line: string): void {
    if (this.#count++ === 0) this.#example = line.length > EXAMPLE_CHARS ? `${line.slice(0, EXAMPLE_CHARS)}…` : line;
  }

  /** Reports the lines seen since the last call as one problem at `offset` (a frame's), if there were any. */
  report(file: string, offset: number, onProblem: (p: ReadProblem) => void): void {
    if (this.#count === 0) return;
    const what = this.#count === 1 ? "1 line is not a capture entry:" : `${this.#count} lines are not capture entries, the first:`;
    onProblem({ file, offset, kind: "corrupt", detail: `${what} ${JSON.stringify(this.#example)}` });
    this.#count = 0;
  }
}
