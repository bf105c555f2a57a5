/**
 * Go slices with a backing array and a capacity, for the few strategic-merge steps whose result depends on them.
 * mergeSlice deletes from the live list in place (`append(s[:k], s[k+1:]...)` shifts the backing array), appends
 * new elements into its spare capacity, and later reads the original slice header again as "the live order": the
 * order kubectl apply's "delete one container, add another" patches produce depends on what that array then holds.
 * Capacities are those of a list decoded element by element (encoding/json and the protobuf decoders both grow
 * their slices with append): Go 1.23's growslice and malloc size classes for 16-byte, pointerful elements.
 */

export class GoSlice {
  constructor(
    /** The backing array; its length is the capacity (slots past `len` may be holes or stale values). */
    readonly buf: unknown[],
    readonly len: number,
  ) {}

  get cap(): number {
    return this.buf.length;
  }

  /** The elements as they read now, through this header. */
  items(): unknown[] {
    return this.buf.slice(0, this.len);
  }

  withLen(len: number): GoSlice {
    return new GoSlice(this.buf, len);
  }
}

/** A freshly decoded list: its own backing array, with the capacity append-by-one decoding leaves. */
export function decodedSlice(values: unknown[]): GoSlice {
  const buf = [...values];
  buf.length = decodedCapacity(values.length);
  return new GoSlice(buf, values.length);
}

/** append(s, values...): in place while capacity lasts, else into a new, larger backing array. */
export function goAppend(s: GoSlice, ...values: unknown[]): GoSlice {
  const newLen = s.len + values.length;
  if (newLen <= s.cap) {
    values.forEach((v, i) => (s.buf[s.len + i] = v));
    return s.withLen(newLen);
  }
  const buf = [...s.items(), ...values];
  buf.length = growCapacity(s.cap, newLen);
  return new GoSlice(buf, newLen);
}

const ELEM_SIZE = 16; // interface{}
const MALLOC_HEADER = 8;
const MIN_SIZE_FOR_MALLOC_HEADER = 512;
const MAX_SMALL_SIZE = 32768;
const PAGE_SIZE = 8192;
// runtime/sizeclasses.go class_to_size.
const CLASS_TO_SIZE = [
  8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024,
  1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288,
  13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

/** runtime.roundupsize for a pointerful allocation. */
function roundupsize(size: number): number {
  if (size <= MAX_SMALL_SIZE - MALLOC_HEADER) {
    const req = size > MIN_SIZE_FOR_MALLOC_HEADER ? size + MALLOC_HEADER : size;
    const cls = CLASS_TO_SIZE.find((c) => c >= req)!;
    return cls - (req - size);
  }
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

/** runtime.growslice's new capacity (nextslicecap, then rounded up to the allocation's size class). */
export function growCapacity(oldCap: number, newLen: number): number {
  let newcap = oldCap;
  const doublecap = newcap + newcap;
  if (newLen > doublecap) newcap = newLen;
  else if (oldCap < 256) newcap = doublecap;
  else {
    while (newcap < newLen) newcap += (newcap + 3 * 256) >> 2;
  }
  return Math.floor(roundupsize(newcap * ELEM_SIZE) / ELEM_SIZE);
}

/** The capacity after appending `n` elements one by one to an empty slice. */
export function decodedCapacity(n: number): number {
  let cap = 0;
  for (let len = 1; len <= n; len++) if (len > cap) cap = growCapacity(cap, len);
  return cap;
}
