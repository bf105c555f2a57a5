import { describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { contentSize, FrameDecompressor } from "../../src/capture/reader/frame-decompressor.ts";

const lines = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `{"ts":"${seed}-${i}","msg":"line ${i * seed} of ${seed}"}\n`).join("");
const bunError = (frame: Uint8Array) => {
  try {
    Bun.zstdDecompressSync(frame);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};
const ourError = (d: FrameDecompressor, frame: Uint8Array) => {
  try {
    d.decompress(frame);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};
const zstdCli = (args: string[], input: Uint8Array) => {
  const r = Bun.spawnSync(["zstd", ...args], { stdin: input });
  if (r.exitCode !== 0) throw new Error(`zstd ${args.join(" ")} failed: ${r.stderr}`);
  return new Uint8Array(r.stdout);
};

describe("frame decompressor (reused output buffers)", () => {
  test("gives the same bytes as Bun.zstdDecompressSync, frame after frame, reusing released buffers", () => {
    const d = new FrameDecompressor();
    const buffers = new Set<ArrayBufferLike>();
    for (let k = 1; k <= 12; k++) {
      const text = lines(2000 + k * 997, k);
      const frame = Bun.zstdCompressSync(Buffer.from(text), { level: 1 + (k % 5) });
      expect(contentSize(frame)).toBe(Buffer.byteLength(text));
      const out = d.decompress(frame);
      expect(Buffer.from(out).toString()).toBe(text);
      buffers.add(out.buffer);
      d.release(out);
    }
    // Released after each frame: every frame was decoded into the one buffer.
    expect(buffers.size).toBe(1);
  });

  test("with frames left to Bun, those are Bun's fresh buffers, later ones reuse buffers", () => {
    const d = new FrameDecompressor(8);
    const seen: ArrayBufferLike[] = [];
    for (let k = 0; k < 12; k++) {
      const text = lines(30_000 - 500 * k, 1); // ≥ 1 MiB each, shrinking: every released buffer fits the next
      const out = d.decompress(Bun.zstdCompressSync(Buffer.from(text)));
      expect(Buffer.from(out).toString()).toBe(text);
      seen.push(out.buffer);
      d.release(out);
    }
    // Bun's fresh outputs, each released; from then on released buffers (Bun's among them) are used again.
    expect(new Set(seen.slice(0, 8)).size).toBe(8);
    for (const b of seen.slice(8)) expect(seen.slice(0, 8)).toContain(b);
  });

  test("a frame decompressed into a caller's memory is a view of it, and that memory is never taken for reuse", () => {
    const d = new FrameDecompressor();
    const theirs = new Uint8Array(4 << 20);
    const texts = [lines(3000, 1), lines(3000, 2)];
    const first = d.decompress(Bun.zstdCompressSync(Buffer.from(texts[0]!)), (size) => theirs.subarray(0, size));
    expect(first.buffer).toBe(theirs.buffer);
    expect(Buffer.from(first).toString()).toBe(texts[0]!);
    d.release(first);
    theirs.fill(0);
    // Without `into` (or when it gives null) the frame goes to a buffer of the decompressor's own.
    const second = d.decompress(Bun.zstdCompressSync(Buffer.from(texts[1]!)), () => null);
    expect(second.buffer).not.toBe(theirs.buffer);
    expect(Buffer.from(second).toString()).toBe(texts[1]!);
  });

  test("bytes not released are never written over", () => {
    const d = new FrameDecompressor();
    const a = d.decompress(Bun.zstdCompressSync(Buffer.from(lines(500, 1))));
    const b = d.decompress(Bun.zstdCompressSync(Buffer.from(lines(500, 2))));
    expect(a.buffer).not.toBe(b.buffer);
    expect(Buffer.from(a).toString()).toBe(lines(500, 1));
  });

  test("a frame without its content size (zstd CLI reading a pipe) is decoded by Bun, with the same bytes", () => {
    const text = lines(5000, 7);
    const frame = zstdCli(["-c", "-3"], Buffer.from(text));
    expect(contentSize(frame)).toBe(-1);
    expect(Buffer.from(new FrameDecompressor().decompress(frame)).toString()).toBe(text);
  });

  test("a truncated frame fails as in Bun, and the next good frame still decodes", () => {
    const d = new FrameDecompressor();
    const good = Bun.zstdCompressSync(Buffer.from(lines(20000, 3)));
    const cut = good.subarray(0, good.length - 50);
    expect(bunError(cut)).not.toBeNull();
    expect(ourError(d, cut)).toBe(bunError(cut)!);
    expect(Buffer.from(d.decompress(good)).toString()).toBe(lines(20000, 3));
  });

  test("a frame whose checksum does not match fails as in Bun; garbage and two frames in one span too", () => {
    const d = new FrameDecompressor();
    const text = lines(8000, 5);
    // Given a file (not a pipe), the CLI writes the content size, and --check a checksum.
    const path = `${process.env.TMPDIR ?? "/tmp"}/logtap-frame-decompressor-${process.pid}.txt`;
    writeFileSync(path, text);
    const withSize = zstdCli(["-c", "-3", "--check", path], new Uint8Array());
    rmSync(path);
    expect(contentSize(withSize)).toBe(Buffer.byteLength(text));
    const bad = new Uint8Array(withSize);
    bad[bad.length - 2]! ^= 0xff; // in the checksum
    expect(bunError(bad)).not.toBeNull();
    expect(ourError(d, bad)).toBe(bunError(bad)!);
    const garbage = Buffer.from("this is not a zstd frame at all");
    expect(ourError(d, garbage)).toBe(bunError(garbage)!);
    const two = Buffer.concat([withSize, withSize]);
    expect(Buffer.from(d.decompress(two)).toString()).toBe(Buffer.from(Bun.zstdDecompressSync(two)).toString());
    expect(Buffer.from(d.decompress(withSize)).toString()).toBe(text);
  });

  test("content size from every header form (RFC 8878 §3.1.1.1)", () => {
    // Single segment with a 1-byte size, then 2-byte (value + 256), 4-byte and 8-byte sizes.
    for (const n of [10, 200, 300, 70_000, 5 << 20]) {
      const frame = Bun.zstdCompressSync(Buffer.alloc(n, 97));
      expect(contentSize(frame)).toBe(n);
    }
    expect(contentSize(new Uint8Array([0x28, 0xb5, 0x2f]))).toBe(-1);
  });
});
