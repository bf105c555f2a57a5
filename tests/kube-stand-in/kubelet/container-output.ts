/**
 * Everything one container of one pod has printed, across its instances (restarts) and log files (rotations): the
 * instances the runtime still has (the current one and the one before, as the kubelet keeps), and the ground truth a
 * test compares a capture with — every line ever written, with its timestamp, instance and file.
 */

import { ContainerLog, type LogRecord } from "./container-log.ts";
import { formatNs, nowNs, parseRfc3339Ns } from "./log-timestamps.ts";

export interface WrittenLine {
  /** The instance that wrote it. */
  containerID: string;
  restartCount: number;
  /** Which log file of that instance (0 = the first; each rotation adds one). */
  file: number;
  /** The line's timestamp (its first record's, for a line split into partial records), RFC3339NanoFixed. */
  time: string;
  ns: bigint;
  /** The whole line, without newline. */
  text: string;
  /** How many runtime records it took (more than 1 when split into partial records). */
  records: number;
}

export interface WriteOptions {
  /** A timestamp to use instead of "now" (RFC 3339 text or nanoseconds): several lines may share one. */
  timestamp?: string | bigint;
  /** Split the line into partial records of at most this many bytes. */
  partialEvery?: number;
  stream?: "stdout" | "stderr";
}

export class ContainerOutput {
  /** The instances still on the node, oldest first: the current one and the one before (the kubelet keeps one dead container). */
  readonly instances: ContainerLog[] = [];
  /** Every line written (empty when the kubelet was told not to keep history, e.g. for a benchmark). */
  readonly history: WrittenLine[] = [];
  /** Lines written in total, history kept or not. */
  written = 0;
  /** Lines the container's script has written so far, across restarts: the next one is `{n}` = this + 1. */
  scriptLines = 0;
  #lastNs = 0n;
  readonly #waiters: { n: number; resolve: () => void }[] = [];

  constructor(
    readonly namespace: string,
    readonly pod: string,
    readonly container: string,
    private readonly keepHistory = true,
  ) {}

  get current(): ContainerLog | undefined {
    return this.instances[this.instances.length - 1];
  }

  startInstance(containerID: string, restartCount: number): ContainerLog {
    const log = new ContainerLog(containerID, restartCount);
    this.instances.push(log);
    while (this.instances.length > 2) this.instances.shift()!.discard();
    return log;
  }

  /** The instance with this containerID, if the node still has it. */
  instance(containerID: string): ContainerLog | undefined {
    return this.instances.find((i) => i.containerID === containerID);
  }

  /** Writes one line to the running instance; returns what was recorded. Throws when the container is not running. */
  write(text: string, opts: WriteOptions = {}, sharedNs?: bigint): WrittenLine {
    const log = this.current;
    if (!log || log.closed) throw new Error(`container "${this.container}" in pod "${this.pod}" is not running`);
    const ns = this.#timestamp(opts.timestamp ?? sharedNs);
    const parts = splitBytes(text, opts.partialEvery);
    parts.forEach((part, i) => {
      // Each partial record gets its own timestamp, as the runtime writes them (the first one the line's).
      const recordNs = i === 0 ? ns : this.#timestamp(undefined);
      const record: LogRecord = { ns: recordNs, time: formatNs(recordNs), stream: opts.stream ?? "stdout", partial: i < parts.length - 1, text: part };
      log.append(record);
    });
    const line: WrittenLine = { containerID: log.containerID, restartCount: log.restartCount, file: log.files.length - 1, time: formatNs(ns), ns, text, records: parts.length };
    if (this.keepHistory) this.history.push(line);
    this.written++;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      if (this.written >= this.#waiters[i].n) this.#waiters.splice(i, 1)[0].resolve();
    }
    return line;
  }

  /** Resolves once `n` lines have been written in total (all instances). */
  whenLines(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.written >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`container "${this.container}" in pod "${this.pod}" wrote ${this.written} of ${n} lines in ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** The next strictly increasing timestamp (for a group of lines that will share it). */
  nextTimestamp(): bigint {
    return this.#timestamp(undefined);
  }

  /** Strictly increasing unless a timestamp is given (given ones may repeat, and may even go back: a clock step). */
  #timestamp(given: string | bigint | undefined): bigint {
    if (given !== undefined) {
      const ns = typeof given === "bigint" ? given : parseGiven(given);
      if (ns > this.#lastNs) this.#lastNs = ns;
      return ns;
    }
    let ns = nowNs();
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    return ns;
  }
}

function parseGiven(text: string): bigint {
  const ns = parseRfc3339Ns(text);
  if (ns === undefined) throw new Error(`timestamp "${text}" is not RFC 3339 (e.g. 2024-05-01T12:00:00.000000001Z)`);
  return ns;
}

/** Splits at byte boundaries without cutting a UTF-8 character. */
function splitBytes(text: string, every: number | undefined): string[] {
  if (!every) return [text];
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= every) return [text];
  const out: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + every, bytes.length);
    while (end < bytes.length && end > start && (bytes[end] & 0xc0) === 0x80) end--;
    out.push(new TextDecoder().decode(bytes.subarray(start, end)));
    start = end;
  }
  return out;
}
