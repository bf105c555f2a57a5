/**
 * One container instance's log, as the runtime keeps it on the node: records (timestamp, stream, full/partial tag,
 * text) in the current log file. Rotation (kubelet's containerLogMaxSize) starts a new current file: `pods/log`
 * serves only the current file, and a follow stream reading the old one ends (the behaviour of kubernetes#115701,
 * which makes a follower resume). When the instance stops, its log is closed: follow streams end after the last
 * record, and the file stays readable (`previous=true`, or a crash-looping container's last instance).
 */

export interface LogRecord {
  /** Nanoseconds since the epoch. */
  ns: bigint;
  /** The same as RFC3339NanoFixed text, cached. */
  time: string;
  stream: "stdout" | "stderr";
  /** A runtime `P` record: part of a longer line, printed without a newline. */
  partial: boolean;
  text: string;
}

export type LogEvent = { kind: "record"; record: LogRecord } | { kind: "rotated" } | { kind: "closed" };

export class LogFile {
  readonly records: LogRecord[] = [];
  /** True once rotated away: no longer served, followers of it have been ended. */
  rotated = false;
  readonly #listeners = new Set<(e: LogEvent) => void>();

  subscribe(listener: (e: LogEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(e: LogEvent): void {
    for (const l of [...this.#listeners]) l(e);
  }
}

export class ContainerLog {
  /** Every file this instance wrote, oldest first; the last is the current one. */
  readonly files: LogFile[] = [new LogFile()];
  #closed = false;

  constructor(
    readonly containerID: string,
    readonly restartCount: number,
  ) {}

  get current(): LogFile {
    return this.files[this.files.length - 1];
  }

  get closed(): boolean {
    return this.#closed;
  }

  append(record: LogRecord): void {
    if (this.#closed) throw new Error(`container instance ${this.containerID} has stopped; it writes no more lines`);
    this.current.records.push(record);
    this.current.emit({ kind: "record", record });
  }

  /** Starts a new current file; whoever follows the old one is told it rotated (their stream ends). */
  rotate(): void {
    const old = this.current;
    old.rotated = true;
    this.files.push(new LogFile());
    old.emit({ kind: "rotated" });
    // pods/log never serves a rotated file again: its records can go (the ground truth is in ContainerOutput).
    old.records.length = 0;
  }

  /** The node removed this instance (only the last dead one is kept): nothing of it is served any more. */
  discard(): void {
    this.close();
    for (const f of this.files) f.records.length = 0;
  }

  /** The instance stopped: followers get what was written and then their stream ends. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.current.emit({ kind: "closed" });
  }
}
