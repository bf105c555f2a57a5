/**
 * Decompresses one zstd frame at a time into output buffers that are handed back and used again. Bun's
 * `zstdDecompressSync` returns a new buffer per call, and a process reading frame after frame page-faults every new
 * MiB in: 2.6 ms per 1 MiB frame, against 0.7 ms into a buffer used before (docs/benchmarks.md, "Frame
 * decompression"). Bun has no decompress-into API; node:zlib's zstd handle does (`writeSync` into a caller's buffer,
 * the call Node's own zlib streams make), so that is used here.
 *
 * Results and errors stay exactly Bun.zstdDecompressSync's: only a frame whose header gives its content size is
 * decoded here, and unless the handle consumed the whole frame and produced exactly that size without an error, the
 * handle is reset and the frame goes to Bun.zstdDecompressSync (which then returns or throws as it always did).
 */

const MAGIC = 0xfd2fb528;
/** Output buffers are at least this large (a capture frame holds ≤ 1 MiB of lines), so one size serves every frame. */
const MIN_OUTPUT = 1 << 20;
/** Released buffers kept for reuse; more would only hold memory (a reader keeps a few frames in flight). */
const MAX_FREE = 8;
/** A header claiming more than this is left to Bun (a damaged header must not make us allocate its claim). */
const MAX_OUTPUT = 64 << 20;

interface ZstdHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number, code: string) => void;
}

export class FrameDecompressor {
  #handle: ZstdHandle | null = null;
  /** [avail_out, avail_in] after each writeSync, as the handle reports them. */
  #state: Uint32Array<ArrayBufferLike> = new Uint32Array(2);
  readonly #free: ArrayBuffer[] = [];
  /** Memory a caller's `into` gave: not ours to reuse. */
  readonly #foreign = new WeakSet<ArrayBufferLike>();
  #failed = false;
  #untilHandle: number;

  /**
   * @param framesBeforeHandle frames left to Bun before node:zlib is loaded: loading it takes ~22 ms (it brings
   * Node's stream stack), which reused buffers win back after about 15 frames — so a reader that knows it reads
   * many passes 0, and one that reads a few passes Infinity (then node:zlib is never loaded).
   */
  constructor(framesBeforeHandle = 0) {
    this.#untilHandle = framesBeforeHandle;
  }

  /**
   * The frame's content. The bytes stay valid until they are given back with `release` (never, if the caller keeps
   * them: unreleased buffers are simply garbage, like Bun's).
   * `into`, when given, may supply the memory to decompress into for a frame of `size` bytes (null: a buffer of
   * the decompressor's own); the bytes returned are then a view of it.
   * @example
   * const bytes = inflater.decompress(frame); scan(bytes); inflater.release(bytes);
   */
  decompress(frame: Uint8Array, into?: (size: number) => Uint8Array | null): Uint8Array {
    const size = contentSize(frame);
    if (size < 0 || size > MAX_OUTPUT || this.#untilHandle-- > 0) return Bun.zstdDecompressSync(frame);
    const handle = (this.#handle ??= this.#openHandle());
    const given = into?.(size) ?? null;
    if (given !== null) this.#foreign.add(given.buffer);
    const out = given ?? this.#buffer(size);
    this.#failed = false;
    handle.writeSync(0, frame, 0, frame.length, out, 0, out.length);
    const produced = out.length - this.#state[0]!;
    if (this.#failed || this.#state[1] !== 0 || produced !== size) {
      handle.reset();
      this.release(out);
      return Bun.zstdDecompressSync(frame);
    }
    return out.subarray(0, size);
  }

  /** Gives back bytes `decompress` returned, once nothing reads them any more. */
  release(bytes: Uint8Array): void {
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength >= MIN_OUTPUT && this.#free.length < MAX_FREE && bytes.buffer instanceof ArrayBuffer && !this.#foreign.has(bytes.buffer)) {
      this.#free.push(bytes.buffer);
    }
  }

  #openHandle(): ZstdHandle {
    const zlib = require("node:zlib") as typeof import("node:zlib");
    const stream = zlib.createZstdDecompress() as unknown as { _handle: ZstdHandle; _writeState: Uint32Array };
    stream._handle.onerror = () => {
      this.#failed = true;
    };
    this.#state = stream._writeState;
    return stream._handle;
  }

  #buffer(size: number): Uint8Array {
    while (this.#free.length > 0) {
      const b = this.#free.pop()!;
      if (b.byteLength >= size) return new Uint8Array(b);
    }
    return new Uint8Array(Math.max(MIN_OUTPUT, size));
  }
}

/** The Frame_Content_Size of a zstd frame header (RFC 8878 §3.1.1.1), or -1 when absent or not a frame. */
export function contentSize(b: Uint8Array): number {
  if (b.length < 6 || (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 !== MAGIC) return -1;
  const d = b[4]!;
  const fcsFlag = d >> 6;
  const single = (d >> 5) & 1;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (fcsBytes === 0) return -1;
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][d & 3]!;
  if (b.length < at + fcsBytes) return -1;
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + b[at + i]!;
  return fcsBytes === 2 ? v + 256 : v;
}
