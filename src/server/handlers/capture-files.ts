/**
 * The read-only view of the capture directory a receiver started with `--serve-capture` offers (docs/kubernetes.md,
 * "In-cluster receiver and bringing the capture home"):
 *
 *   GET  /logtap/capture/files          the listing (src/recv/capture-listing.ts), JSON
 *   GET  /logtap/capture/files/<name>   one file's bytes; `Range: bytes=N-` / `N-M` resumes (206)
 *   POST /logtap/capture/finish         stop taking pushes, finalise the capture, keep serving it; answers the totals
 *
 * Every request must carry the token, as `X-Logtap-Token: <token>` or `Authorization: Bearer <token>`. The header
 * of its own is what reaches the pod through the API server's services/proxy: the API server authenticates the
 * caller by Authorization and removes that header before proxying.
 */

import { join } from "node:path";
import { timingSafeEqual } from "node:crypto";
import type { CaptureListingSource } from "../../recv/capture-listing.ts";
import { isServableName, regularFileSize } from "../../recv/capture-listing.ts";
import { textReply } from "./push-handler.ts";

export const CAPTURE_PATH_PREFIX = "/logtap/capture/";
export const TOKEN_HEADER = "x-logtap-token";

export interface CaptureFilesContext {
  dir: string;
  token: string;
  listing: CaptureListingSource;
  /** Finalises the capture (idempotent); resolves with the totals once everything is on disk. */
  finish(): Promise<{ lines: number; bytes: number }>;
}

const JSON_HEADERS = { "content-type": "application/json" };

export async function captureFilesRoute(req: Request, path: string, ctx: CaptureFilesContext): Promise<Response> {
  if (!authorised(req, ctx.token)) {
    return new Response("missing or wrong capture token\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="logtap capture"' } });
  }
  const rest = path.slice(CAPTURE_PATH_PREFIX.length);
  if (rest === "finish") {
    if (req.method !== "POST") return notAllowed("POST");
    return new Response(JSON.stringify(await ctx.finish()) + "\n", { headers: JSON_HEADERS });
  }
  if (req.method !== "GET" && req.method !== "HEAD") return notAllowed("GET, HEAD");
  if (rest === "files") return new Response(JSON.stringify(await ctx.listing.list()) + "\n", { headers: JSON_HEADERS });
  if (!rest.startsWith("files/")) return textReply(404, "404 page not found");
  let name: string;
  try {
    name = decodeURIComponent(rest.slice("files/".length));
  } catch {
    return textReply(400, "malformed file name");
  }
  // Only a name the listing could show: no paths (so no traversal), no temporaries, no dot-files, no symlinks.
  const size = isServableName(name) ? regularFileSize(ctx.dir, name) : null;
  if (size === null) return textReply(404, `no such capture file: ${JSON.stringify(name)}`);
  return serveFile(req, join(ctx.dir, name), size);
}

/**
 * The size is taken once: data files only grow, by whole frames written synchronously on this thread, so the first
 * `size` bytes are complete frames and stay as they are however the file goes on growing.
 */
function serveFile(req: Request, path: string, size: number): Response {
  const headers: Record<string, string> = { "content-type": "application/octet-stream", "accept-ranges": "bytes" };
  const range = req.headers.get("range");
  if (range === null) {
    headers["content-length"] = String(size);
    return new Response(req.method === "HEAD" ? null : Bun.file(path).slice(0, size), { headers });
  }
  const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m && m[2] !== "" ? Math.min(Number(m[2]) + 1, size) : size;
  if (!m || start >= size || end <= start) {
    return new Response(`range not satisfiable: ${range} (size ${size})\n`, { status: 416, headers: { "content-range": `bytes */${size}` } });
  }
  headers["content-length"] = String(end - start);
  headers["content-range"] = `bytes ${start}-${end - 1}/${size}`;
  return new Response(req.method === "HEAD" ? null : Bun.file(path).slice(start, end), { status: 206, headers });
}

function authorised(req: Request, token: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  const given = req.headers.get(TOKEN_HEADER) ?? bearer;
  if (given === undefined || given === null) return false;
  // Compared as digests: equal lengths for timingSafeEqual, and no timing hint about the token's length.
  const a = new Bun.CryptoHasher("sha256").update(given).digest();
  const b = new Bun.CryptoHasher("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

function notAllowed(allow: string): Response {
  return new Response("Method Not Allowed\n", { status: 405, headers: { allow } });
}
