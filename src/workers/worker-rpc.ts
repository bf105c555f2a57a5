/**
 * Request/reply over one Bun Worker: each call gets an id, replies resolve their call, a worker that fails
 * rejects everything it still owed with a `WorkerFailedError` (so callers can tell a dead thread from a refused
 * request). The worker side is `serveRpc`.
 */

export class WorkerFailedError extends Error {}

/** What a handler throws travels as `{error, data}`: the message plus whatever the caller needs to rebuild it. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly data: unknown,
  ) {
    super(message);
  }
}

type Reply<R> = { id: number; result: R } | { id: number; error: string; data?: unknown };

export class WorkerRpc<Req, Res> {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #failed: WorkerFailedError | null = null;

  constructor(url: URL, what: string) {
    this.#worker = new Worker(url);
    this.#worker.onmessage = (ev: MessageEvent<Reply<Res>>) => {
      const p = this.#pending.get(ev.data.id);
      if (p === undefined) return;
      this.#pending.delete(ev.data.id);
      if ("error" in ev.data) p.reject(new RemoteError(ev.data.error, ev.data.data));
      else p.resolve(ev.data.result);
    };
    this.#worker.onerror = (ev) => {
      this.#failed = new WorkerFailedError(`${what} worker failed: ${ev.message}`);
      for (const p of this.#pending.values()) p.reject(this.#failed);
      this.#pending.clear();
    };
  }

  /** Calls not yet answered: what a pool balances on. */
  get pending(): number {
    return this.#pending.size;
  }

  get failed(): boolean {
    return this.#failed !== null;
  }

  call(req: Req, transfer: Transferable[] = []): Promise<Res> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, req }, transfer);
    });
  }

  /** An idle worker does not keep the process alive (a receiver's shutdown decides when to stop). */
  unref(): void {
    (this.#worker as Worker & { unref(): void }).unref();
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

/** What a handler returns: the result, and the buffers to move rather than copy. */
export interface Answer<R> {
  result: R;
  transfer?: Transferable[];
}

/**
 * The worker side: runs the handler for each request, in arrival order, one at a time. `errorData` picks what of
 * a thrown error crosses back (e.g. an HTTP status).
 */
export function serveRpc<Req, Res>(
  handler: (req: Req) => Answer<Res> | Promise<Answer<Res>>,
  errorData: (e: unknown) => unknown = () => undefined,
): void {
  const scope = self as unknown as Worker;
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (ev: MessageEvent<{ id: number; req: Req }>) => {
    const { id, req } = ev.data;
    queue = queue.then(async () => {
      try {
        const { result, transfer } = await handler(req);
        scope.postMessage({ id, result }, transfer ?? []);
      } catch (e) {
        scope.postMessage({ id, error: e instanceof Error ? e.message : String(e), data: errorData(e) });
      }
    });
  };
}
