// snappyjs ships no types; only the two functions logtap uses are declared.
declare module "snappyjs" {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  const snappy: { compress: typeof compress; uncompress: typeof uncompress };
  export default snappy;
}

// snappyjs's own block decompressor, which `uncompress` wraps: lets the caller supply the output buffer.
declare module "snappyjs/snappy_decompressor.js" {
  export class SnappyDecompressor {
    constructor(compressed: Uint8Array);
    /** The length the block declares, or -1 when the varint is malformed. */
    readUncompressedLength(): number;
    /** Decodes into `out` from offset 0; false on a malformed block. Writes past `out`'s end are dropped. */
    uncompressToBuffer(out: Uint8Array): boolean;
  }
}
