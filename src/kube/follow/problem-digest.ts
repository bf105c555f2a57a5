/**
 * Failures of many streams at once (the API server went away: hundreds of streams break together) as a few
 * warnings instead of one per stream: the first at once, then at most one per window saying how many more failed.
 */

const WINDOW_MS = 10_000;

export class ProblemDigest {
  #pending = 0;
  #example = "";
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly warn: (text: string) => void) {}

  add(what: string, error: unknown): void {
    const text = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.#timer === undefined) {
      this.warn(`${text}; retrying`);
      this.#startWindow();
      return;
    }
    this.#pending++;
    this.#example = text;
  }

  /** Says what is still pending (at the end). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending === 0) return;
    this.warn(`${this.#pending} more stream failure${this.#pending === 1 ? "" : "s"} (last: ${this.#example}); retrying`);
    this.#pending = 0;
  }

  #startWindow(): void {
    this.#timer = setTimeout(() => {
      const had = this.#pending > 0;
      this.flush();
      if (had) this.#startWindow();
    }, WINDOW_MS);
    this.#timer.unref?.();
  }
}
