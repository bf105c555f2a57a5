/**
 * The client side of a receiver's `--serve-capture` endpoints (src/server/handlers/capture-files.ts): list, read a
 * file from an offset, finish. How a request reaches the receiver is the transport's business — directly
 * (direct-remote.ts) or through the API server's services/proxy (service-remote.ts).
 */

import { CliError, EXIT } from "../../common/errors.ts";
import type { CaptureListing } from "../../recv/capture-listing.ts";
import { readChunks } from "../streams/body-chunks.ts";

export interface CaptureRemote {
  /** Where the capture is read from, for messages: a URL, or `service logtap-receiver in namespace "x"`. */
  readonly where: string;
  list(signal?: AbortSignal): Promise<CaptureListing>;
  /** The bytes of `name` from offset `from` to its end as the receiver sees it now. */
  read(name: string, from: number, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
  /** The receiver stops taking pushes and finalises the capture; resolves once it has. */
  finish(signal?: AbortSignal): Promise<{ lines: number; bytes: number }>;
}

/** One request to the receiver; error answers are returned, not thrown, for `answerError` to name. */
export type SendToReceiver = (path: string, init: { method: "GET" | "POST"; headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** A failure talking to the receiver. `retryable`: the network or a busy receiver; pulling again goes on from here. */
export class RemoteError extends CliError {
  constructor(
    message: string,
    readonly retryable: boolean,
    exitCode: number = retryable ? EXIT.network : EXIT.internal,
  ) {
    super(message, exitCode);
  }
}

export interface RemoteOptions {
  where: string;
  token: string;
  send: SendToReceiver;
  /** An error answer that is not the receiver's own (the API server's Status) as the error to throw; else undefined. */
  foreignError?: (status: number, text: string) => Error | undefined;
}

export function captureRemote(o: RemoteOptions): CaptureRemote {
  const headers = { "x-logtap-token": o.token };
  const call = async (what: string, path: string, method: "GET" | "POST", extra: Record<string, string>, signal?: AbortSignal): Promise<Response> => {
    let res: Response;
    try {
      res = await o.send(path, { method, headers: { ...headers, ...extra }, signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      if (e instanceof CliError) throw e;
      throw new RemoteError(`${what}: cannot reach the receiver at ${o.where}: ${(e as Error).message}`, true);
    }
    if (res.ok) return res;
    const text = (await res.text().catch(() => "")).trim();
    const foreign = o.foreignError?.(res.status, text);
    if (foreign) throw foreign;
    throw receiverError(what, o.where, res.status, text);
  };
  return {
    where: o.where,
    async list(signal) {
      const res = await call("list the capture", "/logtap/capture/files", "GET", {}, signal);
      return (await readBody(res, "list the capture", o.where, (r) => r.json())) as CaptureListing;
    },
    async read(name, from, signal) {
      const what = `read ${name}`;
      const res = await call(what, `/logtap/capture/files/${encodeURIComponent(name)}`, "GET", from > 0 ? { range: `bytes=${from}-` } : {}, signal);
      // A server that ignored Range would send the file from its start: appended, it would corrupt the copy.
      if (from > 0 && res.status !== 206) throw new RemoteError(`${what}: the receiver at ${o.where} ignored the range (answer ${res.status})`, false);
      return bodyStream(res, what, o.where, signal);
    },
    async finish(signal) {
      const res = await call("finish the capture", "/logtap/capture/finish", "POST", {}, signal);
      return (await readBody(res, "finish the capture", o.where, (r) => r.json())) as { lines: number; bytes: number };
    },
  };
}

function receiverError(what: string, where: string, status: number, text: string): RemoteError {
  const said = text.split("\n")[0]!.slice(0, 200);
  if (status === 401) return new RemoteError(`${what}: the receiver at ${where} refused the capture token (${said || "401"})`, false, EXIT.permission);
  if (status === 404) {
    return new RemoteError(`${what}: the receiver at ${where} does not serve its capture (${said || "404"}); it must run with --serve-capture`, false, EXIT.notFound);
  }
  // 502–504 and the receiver's 503: the proxy or the pod is busy or restarting; the next round may get through.
  return new RemoteError(`${what}: the receiver at ${where} answered ${status}${said ? `: ${said}` : ""}`, status >= 500);
}

async function readBody<T>(res: Response, what: string, where: string, read: (r: Response) => Promise<T>): Promise<T> {
  try {
    return await read(res);
  } catch (e) {
    throw new RemoteError(`${what}: the answer of the receiver at ${where} broke off: ${(e as Error).message}`, true);
  }
}

async function* bodyStream(res: Response, what: string, where: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!res.body) return;
  // A connection closed early can look like a normal end to fetch: the length the receiver announced decides.
  const announced = Number(res.headers.get("content-length") ?? NaN);
  let received = 0;
  const broke = (e: unknown) => (signal?.aborted ? signal.reason : new RemoteError(`${what}: the download from ${where} broke off after ${received} bytes: ${(e as Error).message}`, true));
  for await (const chunk of readChunks(res.body, broke)) {
    received += chunk.length;
    yield chunk;
  }
  if (received < announced) throw new RemoteError(`${what}: the download from ${where} broke off after ${received} of ${announced} bytes`, true);
}
