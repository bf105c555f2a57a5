/**
 * Runs scan units on `jobs` threads: the main thread and jobs − 1 Bun Workers, each taking the next unit as soon as
 * it is free. Zstd decompression already runs on Bun's thread pool; the workers put JSON parsing and the triage
 * counting on more than one core. The main thread scans too, so `--jobs 2` is two scanning threads, not two
 * workers competing with a third thread that merges.
 */

import { existsSync } from "node:fs";
import { scanUnit, type UnitRequest, type UnitResult } from "./scan-unit.ts";

type Reply = { id: number; result: UnitResult } | { id: number; error: string };

export class ScanWorkerError extends Error {}

/**
 * In the compiled binary, modules live under `/$bunfs/root/`, laid out relative to the common folder of the build's
 * entry points (src/ today); a chunk's `import.meta.url` does not sit next to this file there, so look it up.
 */
function workerUrl(): URL {
  if (!import.meta.url.includes("/$bunfs/")) return new URL("./scan-worker.ts", import.meta.url);
  for (const p of ["/$bunfs/root/analysis/triage/scan-worker.js", "/$bunfs/root/src/analysis/triage/scan-worker.js"]) {
    if (existsSync(p)) return new URL(`file://${p}`);
  }
  throw new ScanWorkerError("this build does not contain the triage worker (scripts/build.ts entry points); use --jobs 1");
}

/** One scanning thread: takes units (at most `capacity` at a time), gives back their tallies. */
interface Scanner {
  scan: (req: UnitRequest) => Promise<UnitResult>;
  capacity: number;
}

/** Two units in flight per worker: the next one is already there when a worker finishes, whatever the main thread is doing. */
const WORKER_UNITS_IN_FLIGHT = 2;

function workerScanner(url: URL, onClose: (close: () => void) => void): Scanner {
  const w = new Worker(url);
  onClose(() => w.terminate());
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: UnitResult) => void; reject: (e: Error) => void }>();
  w.onmessage = (ev: MessageEvent<Reply>) => {
    const p = pending.get(ev.data.id);
    if (p === undefined) return;
    pending.delete(ev.data.id);
    if ("error" in ev.data) p.reject(new Error(ev.data.error));
    else p.resolve(ev.data.result);
  };
  w.onerror = (ev) => {
    for (const p of pending.values()) p.reject(new ScanWorkerError(`triage worker failed: ${ev.message}`));
    pending.clear();
  };
  return {
    capacity: WORKER_UNITS_IN_FLIGHT,
    scan: (req) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        w.postMessage({ id, ...req });
      }),
  };
}

interface Job {
  req: UnitRequest;
  resolve: (r: UnitResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  scanner: Scanner;
  busy: number;
  dead: boolean;
}

export class ScanThreads {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #closers: (() => void)[] = [];

  /** `threads` − 1 workers are started; 1 scans in this thread only. */
  constructor(threads: number) {
    this.#slots.push({ scanner: { scan: scanUnit, capacity: 1 }, busy: 0, dead: false });
    if (threads > 1) {
      const url = workerUrl();
      for (let i = 1; i < threads; i++) this.#slots.push({ scanner: workerScanner(url, (c) => this.#closers.push(c)), busy: 0, dead: false });
    }
  }

  run(req: UnitRequest): Promise<UnitResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ req, resolve, reject });
      this.#dispatch();
    });
  }

  close(): void {
    for (const c of this.#closers) c();
    this.#closers.length = 0;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      while (!slot.dead && slot.busy < slot.scanner.capacity && this.#queue.length > 0) {
        const job = this.#queue.shift()!;
        slot.busy++;
        slot.scanner.scan(job.req).then(
          (r) => {
            slot.busy--;
            job.resolve(r);
            this.#dispatch();
          },
          (e: Error) => {
            slot.busy--;
            // A failed worker takes no more units; the others finish the queue (and this unit's error surfaces).
            if (e instanceof ScanWorkerError) slot.dead = true;
            job.reject(e);
            this.#dispatch();
          },
        );
      }
    }
  }
}
