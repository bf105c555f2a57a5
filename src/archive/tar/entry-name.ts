/**
 * How an archive path fits a ustar header: in the 100-byte name field, split across the 155-byte prefix and the
 * name at a `/`, or — when neither fits — in a PAX `path` record, with a truncated name left for old readers.
 */

const encoder = new TextEncoder();

export type NamePlacement = { name: Uint8Array; prefix?: Uint8Array; pax?: undefined } | { name: Uint8Array; prefix?: undefined; pax: string };

/** Cuts at most `max` bytes without splitting a UTF-8 sequence. */
export function truncateUtf8(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

export function placeName(path: string): NamePlacement {
  const bytes = encoder.encode(path);
  if (bytes.length <= 100) return { name: bytes };
  // A directory's trailing slash must stay in the name part, so the split point is searched before it.
  const searchEnd = path.endsWith("/") ? path.length - 1 : path.length;
  for (let i = path.lastIndexOf("/", searchEnd - 1); i > 0; i = path.lastIndexOf("/", i - 1)) {
    const prefix = encoder.encode(path.slice(0, i));
    const name = encoder.encode(path.slice(i + 1));
    if (prefix.length > 155) continue;
    if (name.length > 100 || name.length === 0) break;
    return { name, prefix };
  }
  return { name: truncateUtf8(bytes, 100), pax: path };
}
