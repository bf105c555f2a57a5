/**
 * One 512-byte tar header block (POSIX ustar): encode for the writer, decode for the reader. Numeric fields are
 * octal text; the reader also takes GNU base-256 numbers, which GNU tar writes for sizes of 8 GiB and more.
 */

export const BLOCK = 512;

/** Largest value an 11-digit octal field holds; bigger sizes go in a PAX `size` record. */
export const MAX_OCTAL_SIZE = 0o77777777777;

export const TYPE = {
  file: "0",
  oldFile: "\0",
  hardLink: "1",
  symlink: "2",
  charDevice: "3",
  blockDevice: "4",
  directory: "5",
  fifo: "6",
  contiguous: "7",
  paxLocal: "x",
  paxGlobal: "g",
  gnuLongName: "L",
  gnuLongLink: "K",
} as const;

export interface HeaderFields {
  /** At most 100 bytes of UTF-8. */
  name: Uint8Array;
  /** At most 155 bytes of UTF-8; joined to `name` with a `/`. */
  prefix?: Uint8Array;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
}

function putOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  const text = Math.trunc(value).toString(8).padStart(length - 1, "0");
  for (let i = 0; i < length - 1; i++) block[offset + i] = text.charCodeAt(i);
  block[offset + length - 1] = 0;
}

function putText(block: Uint8Array, offset: number, bytes: Uint8Array): void {
  block.set(bytes, offset);
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum;
}

/** uid/gid 0 and no user names: an archive carries the capture, not who packed it. */
export function encodeHeader(h: HeaderFields): Uint8Array {
  const block = new Uint8Array(BLOCK);
  putText(block, 0, h.name);
  putOctal(block, 100, 8, h.mode & 0o7777);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, h.size > MAX_OCTAL_SIZE ? 0 : h.size);
  putOctal(block, 136, 12, Math.max(0, h.mtime));
  block[156] = h.typeflag.charCodeAt(0);
  putText(block, 257, new TextEncoder().encode("ustar\u000000"));
  if (h.prefix !== undefined) putText(block, 345, h.prefix);
  const sum = checksum(block).toString(8).padStart(6, "0");
  for (let i = 0; i < 6; i++) block[148 + i] = sum.charCodeAt(i);
  block[154] = 0;
  block[155] = 32;
  return block;
}

export interface DecodedHeader {
  name: string;
  prefix: string;
  linkname: string;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  /** `ustar\0` (POSIX) — only then is the prefix field a name prefix. */
  posix: boolean;
}

const decoder = new TextDecoder("utf-8");

function text(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function number(block: Uint8Array, offset: number, length: number, what: string): number {
  const field = block.subarray(offset, offset + length);
  if ((field[0]! & 0x80) !== 0) {
    if (field[0] === 0xff) throw new Error(`invalid tar header: negative ${what}`);
    let value = field[0]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + field[i]!;
    if (!Number.isSafeInteger(value)) throw new Error(`invalid tar header: ${what} too large`);
    return value;
  }
  const digits = text(block, offset, length).trim();
  if (digits === "") return 0;
  if (!/^[0-7]+$/.test(digits)) throw new Error(`invalid tar header: bad ${what} field`);
  return parseInt(digits, 8);
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Throws on a checksum mismatch: a damaged or non-tar stream must not be read as entries. */
export function decodeHeader(block: Uint8Array): DecodedHeader {
  const stored = number(block, 148, 8, "checksum");
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 32 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw new Error("invalid tar header: checksum mismatch (not a tar archive, or damaged)");
  return {
    name: text(block, 0, 100),
    mode: number(block, 100, 8, "mode"),
    size: number(block, 124, 12, "size"),
    mtime: number(block, 136, 12, "mtime"),
    typeflag: String.fromCharCode(block[156]!),
    linkname: text(block, 157, 100),
    posix: text(block, 257, 6) === "ustar",
    prefix: text(block, 345, 155),
  };
}
