/**
 * The budget of concurrent log streams (`--max-streams`): a follower holds a slot while it reads a container and
 * gives it back when the container has nothing to read (stopped, deleted). Containers beyond the budget wait, in the
 * order they came, and get a slot when one frees — their lines are read late, from where they would have started, not
 * lost unless the node rotates them away first. Reaching the budget is reported (never an error): once when
 * containers start waiting, again when more have come to wait since the last report.
 */

export interface BudgetReport {
  max: number;
  active: number;
  waiting: number;
  /** A few of the waiting containers, for the message. */
  examples: string[];
}

export interface Slot {
  release(): void;
}

export class StreamBudget {
  #active = 0;
  readonly #waiting: { name: string; grant: () => void }[] = [];
  #reportedWaiting = 0;
  #reportQueued = false;

  constructor(
    readonly max: number,
    private readonly onChange: (active: number, waiting: number) => void,
    private readonly onReached: (r: BudgetReport) => void,
  ) {}

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** A slot for `name` (namespace/pod/container); rejects with the signal's reason if it aborts while waiting. */
  acquire(name: string, signal: AbortSignal): Promise<Slot> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.max) return Promise.resolve(this.#grant());
    return new Promise((resolve, reject) => {
      const waiter = {
        name,
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.#grant());
        },
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        this.#changed();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#changed();
      if (this.#waiting.length > this.#reportedWaiting && !this.#reportQueued) {
        // Reported after this turn, so a burst of arrivals (a scale-up) makes one message, not one per container.
        this.#reportQueued = true;
        setTimeout(() => this.#report(), 0);
      }
    });
  }

  #report(): void {
    this.#reportQueued = false;
    if (this.#waiting.length <= this.#reportedWaiting) return;
    this.#reportedWaiting = this.#waiting.length;
    this.onReached({ max: this.max, active: this.#active, waiting: this.#waiting.length, examples: this.#waiting.slice(0, 3).map((w) => w.name) });
  }

  #grant(): Slot {
    this.#active++;
    this.#changed();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#active--;
        const next = this.#waiting.shift();
        if (this.#waiting.length === 0) this.#reportedWaiting = 0;
        if (next) next.grant();
        else this.#changed();
      },
    };
  }

  #changed(): void {
    this.onChange(this.#active, this.#waiting.length);
  }
}

/** The budget report as one line for a user. */
export function budgetWarning(r: BudgetReport): string {
  const more = r.waiting > r.examples.length ? ", …" : "";
  return `following ${r.active} containers, the --max-streams budget of ${r.max}: ${r.waiting} more wait for a free stream (${r.examples.join(", ")}${more}); raise --max-streams to read them now`;
}
