/**
 * Reads a push body within limits and undoes its Content-Encoding (gzip, deflate — zlib or raw —, zstd; `snappy`
 * is left to the protobuf decoder, as Loki does). Decompression streams in chunks and stops at the limit, so a
 * decompression bomb is refused before it is allocated.
 */

import { HttpError } from "./http-error.ts";

export interface BodyLimits {
  /** Bytes on the wire (--max-body). */
  maxBody: number;
  /** Bytes after Content-Encoding is undone. */
  maxDecoded: number;
}

export async function readRequestBody(req: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limits.maxBody) throw tooLarge(limits.maxBody);
  const raw = new Uint8Array(await req.arrayBuffer());
  if (raw.length > limits.maxBody) throw tooLarge(limits.maxBody);
  const encoding = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
  switch (encoding) {
    case "":
    case "identity":
    case "snappy":
      return raw;
    case "gzip":
    case "x-gzip":
      return inflate(raw, "gzip", limits.maxDecoded, encoding);
    case "deflate":
      // RFC 9110 says zlib-wrapped; Go clients (and Loki's own decoder) use raw deflate. Accept both.
      return inflate(raw, isZlibHeader(raw) ? "deflate" : "deflate-raw", limits.maxDecoded, encoding);
    case "zstd":
      return inflate(raw, "zstd" as CompressionFormat, limits.maxDecoded, encoding);
    default:
      throw new HttpError(415, `Content-Encoding "${encoding}" not supported (use gzip, deflate, zstd or snappy)`);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body too large (limit ${limit} bytes)`);
}

function isZlibHeader(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

async function inflate(input: Uint8Array, format: CompressionFormat, limit: number, name: string): Promise<Uint8Array> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new HttpError(413, `decompressed body exceeds ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `invalid ${name} body: ${(e as Error).message}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
