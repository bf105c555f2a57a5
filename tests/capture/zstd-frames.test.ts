import { describe, expect, test } from "bun:test";
import { scanZstdFrames } from "../../src/capture/reader/zstd-frames.ts";

const frame = (s: string) => Bun.zstdCompressSync(Buffer.from(s));
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

describe("zstd frame scanner", () => {
  test("finds every frame of a multi-frame file", () => {
    const a = frame("a\n".repeat(1000));
    const b = frame("b\n".repeat(10));
    const spans = scanZstdFrames(cat(a, b));
    expect(spans).toEqual([
      { kind: "frame", offset: 0, length: a.length },
      { kind: "frame", offset: a.length, length: b.length },
    ]);
  });

  test("a cut-off last frame is a torn tail, earlier frames intact", () => {
    const a = frame("a\n".repeat(1000));
    const b = frame("b\n".repeat(5000));
    const spans = scanZstdFrames(cat(a, b.subarray(0, b.length - 7)));
    expect(spans[0]).toEqual({ kind: "frame", offset: 0, length: a.length });
    expect(spans[1]!.kind).toBe("truncated");
  });

  test("garbage between frames is skipped up to the next frame", () => {
    const a = frame("a\n");
    const b = frame("b\n");
    const spans = scanZstdFrames(cat(a, Buffer.from("xxxxxxxxxx"), b));
    expect(spans.map((s) => s.kind)).toEqual(["frame", "garbage", "frame"]);
    expect(spans[2]!.offset).toBe(a.length + 10);
  });

  test("frames from the zstd CLI (streamed, with checksum) are recognised", () => {
    const r = Bun.spawnSync(["zstd", "-c", "-3"], { stdin: Buffer.from("hello\n".repeat(100000)) });
    const out = new Uint8Array(r.stdout);
    const spans = scanZstdFrames(out);
    expect(spans).toEqual([{ kind: "frame", offset: 0, length: out.length }]);
  });
});
