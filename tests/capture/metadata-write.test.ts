import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newMetadata, writeMetadata } from "../../src/capture/metadata.ts";

describe("writeMetadata", () => {
  test("a write that fails leaves no .tmp beside metadata.json, and the error surfaces", () => {
    const dir = mkdtempSync(join(tmpdir(), "logtap-meta-"));
    // A non-empty directory where metadata.json should be: the rename fails after the .tmp was written.
    mkdirSync(join(dir, "metadata.json"));
    writeFileSync(join(dir, "metadata.json", "keep"), "x");
    expect(() => writeMetadata(dir, newMetadata("2026-01-01T00:00:00Z"))).toThrow();
    expect(existsSync(join(dir, "metadata.json.tmp"))).toBe(false);
    expect(readdirSync(join(dir, "metadata.json"))).toEqual(["keep"]);
  });
});
