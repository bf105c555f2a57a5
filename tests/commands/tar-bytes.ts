/**
 * Hand-made tar archives for the extraction tests, written here from the ustar layout rather than with the code
 * under test, so hostile archives (escaping names, links, devices) can be built exactly as an attacker would.
 */

export interface RawEntry {
  name: string;
  /** ustar type flag: "0" file, "5" dir, "1" hard link, "2" symlink, "3" char device, "6" FIFO, "x" PAX, "L" GNU long name. */
  type?: string;
  body?: string | Uint8Array;
  linkname?: string;
  prefix?: string;
  mode?: number;
}

function field(block: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > length) throw new Error(`field too long: ${text}`);
  block.set(bytes, offset);
}

function octal(block: Uint8Array, offset: number, length: number, n: number): void {
  field(block, offset, length, n.toString(8).padStart(length - 1, "0") + "\0");
}

export function header(e: RawEntry, size: number): Uint8Array {
  const block = new Uint8Array(512);
  field(block, 0, 100, e.name);
  octal(block, 100, 8, e.mode ?? 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156);
  field(block, 156, 1, e.type ?? "0");
  field(block, 157, 100, e.linkname ?? "");
  field(block, 257, 8, "ustar\u000000");
  field(block, 345, 155, e.prefix ?? "");
  const sum = block.reduce((s, b) => s + b, 0);
  field(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}

export function tarBytes(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const body = typeof e.body === "string" ? new TextEncoder().encode(e.body) : (e.body ?? new Uint8Array(0));
    parts.push(header(e, body.length), body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

/** A PAX `path` record, as a writer emits it for long names. */
export function paxPath(path: string): RawEntry {
  const body = ` path=${path}\n`;
  const bytes = Buffer.byteLength(body);
  let len = bytes + 1;
  while (String(len).length + bytes !== len) len = String(len).length + bytes;
  return { name: "PaxHeaders/x", type: "x", body: `${len}${body}` };
}

export function tarZst(entries: RawEntry[]): Uint8Array {
  return Bun.zstdCompressSync(tarBytes(entries));
}
