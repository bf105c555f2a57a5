/** The tar building blocks under `snapshot`: name placement, PAX records, numeric fields, damaged headers. */

import { describe, expect, test } from "bun:test";
import { BLOCK, decodeHeader, encodeHeader, MAX_OCTAL_SIZE } from "../../src/archive/tar/header.ts";
import { placeName } from "../../src/archive/tar/entry-name.ts";
import { encodePaxRecords, parsePaxRecords } from "../../src/archive/tar/pax.ts";
import { entryHeader } from "../../src/archive/tar/tar-writer.ts";
import { readTar } from "../../src/archive/tar/tar-reader.ts";
import { header } from "./tar-bytes.ts";

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

function streamOf(...parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

describe("tar format", () => {
  test("names up to 100 bytes use the name field; longer ones split at a slash into prefix + name; else PAX", () => {
    expect(text(placeName("metadata.json").name)).toBe("metadata.json");
    const split = placeName(`${"d".repeat(120)}/file.txt`);
    expect([text(split.prefix), text(split.name), split.pax]).toEqual(["d".repeat(120), "file.txt", undefined]);
    const dir = placeName(`${"d".repeat(120)}/${"e".repeat(20)}/`);
    expect([text(dir.prefix), text(dir.name)]).toEqual(["d".repeat(120), `${"e".repeat(20)}/`]);
    const pax = placeName("f".repeat(150));
    expect(pax.pax).toBe("f".repeat(150));
    expect(pax.name.length).toBe(100);
    // Multi-byte names are measured in bytes and never cut inside a character.
    const wide = placeName("é".repeat(60));
    expect(wide.pax).toBe("é".repeat(60));
    expect(text(wide.name)).toBe("é".repeat(50));
  });

  test("PAX records carry their own length, including across a digit boundary", () => {
    for (const value of ["x", "y".repeat(89), "z".repeat(90), "w".repeat(995), "ü".repeat(40)]) {
      const bytes = encodePaxRecords({ path: value, size: "12" });
      expect(parsePaxRecords(bytes)).toEqual({ path: value, size: "12" });
    }
    expect(() => parsePaxRecords(new TextEncoder().encode("99 path=x\n"))).toThrow(/bad record length/);
  });

  test("header round trip, checksum verified, base-256 sizes understood", () => {
    const block = encodeHeader({ name: new TextEncoder().encode("a.txt"), mode: 0o100644, size: 1234, mtime: 1_700_000_000, typeflag: "0" });
    expect(decodeHeader(block)).toMatchObject({ name: "a.txt", mode: 0o644, size: 1234, mtime: 1_700_000_000, typeflag: "0", posix: true });
    const damaged = block.slice();
    damaged[0] = 0x62;
    expect(() => decodeHeader(damaged)).toThrow(/checksum mismatch/);
    const gnu = header({ name: "big.bin" }, 0);
    gnu.set([0x80, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0], 124); // 2^33 bytes, GNU base-256
    gnu.fill(0x20, 148, 156);
    const sum = gnu.reduce((s, b) => s + b, 0);
    gnu.set(new TextEncoder().encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
    expect(decodeHeader(gnu).size).toBe(2 ** 33);
  });

  test("a file larger than the octal size field gets a PAX size record that the reader honours", async () => {
    const size = MAX_OCTAL_SIZE + 1;
    const headers = entryHeader("huge.jsonl", "0", size, 0o600, 0);
    expect(headers.length).toBe(3 * BLOCK);
    const reader = readTar(streamOf(headers));
    const first = await reader.next();
    expect(first.done).toBe(false);
    expect(first.value!.entry).toMatchObject({ name: "huge.jsonl", kind: "file", size });
    // The body is missing: reading on must fail, not silently succeed.
    await expect(reader.next()).rejects.toThrow(/unexpected end of archive/);
  });
});
