/**
 * Runs scan units on `jobs` threads: the main thread and jobs − 1 Bun Workers, each taking the next unit as soon as
 * it is free. Zstd decompression already runs on Bun's thread pool; the workers put JSON parsing and the triage
 * counting on more than one core. The main thread scans too, so `--jobs 2` is two scanning threads, not two
 * workers competing with a third thread that merges.
 */

import { bundledWorkerUrl, MissingWorkerError } from "../../workers/bundled-worker-url.ts";
import { WorkerFailedError, WorkerRpc } from "../../workers/worker-rpc.ts";
import { unpackSignatures } from "./packed-signatures.ts";
import { scanUnit, type PackedUnitResult, type UnitRequest, type UnitResult } from "./scan-unit.ts";

/** One scanning thread: takes units (at most `capacity` at a time), gives back their tallies. */
interface Scanner {
  scan: (req: UnitRequest) => Promise<UnitResult>;
  capacity: number;
}

/** Two units in flight per worker: the next one is already there when a worker finishes, whatever the main thread is doing. */
const WORKER_UNITS_IN_FLIGHT = 2;

function workerUrl(): URL {
  try {
    return bundledWorkerUrl("analysis/triage/scan-worker");
  } catch (e) {
    if (e instanceof MissingWorkerError) throw new MissingWorkerError(`${e.message}; use --jobs 1`);
    throw e;
  }
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
      for (let i = 1; i < threads; i++) {
        const rpc = new WorkerRpc<UnitRequest, PackedUnitResult>(url, "triage");
        this.#closers.push(() => rpc.terminate());
        const scan = async (req: UnitRequest): Promise<UnitResult> => {
          const { tally, signatures, patterns, problems } = await rpc.call(req);
          return { tally: { ...tally, signatures: unpackSignatures(signatures), patterns: JSON.parse(patterns) }, problems };
        };
        this.#slots.push({ scanner: { scan, capacity: WORKER_UNITS_IN_FLIGHT }, busy: 0, dead: false });
      }
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
            if (e instanceof WorkerFailedError) slot.dead = true;
            job.reject(e);
            this.#dispatch();
          },
        );
      }
    }
  }
}
