import { expect, test } from "bun:test";
import { compileWat, wasmModuleSource } from "../../scripts/wasm-modules.ts";
import { readdirSync, readFileSync } from "node:fs";

// The embedded bytes are generated; this keeps them the compilation of the .wat next to them.
test("every embedded WebAssembly module is its .wat compiled (run scripts/build-wasm.ts after editing one)", async () => {
  const wats = readdirSync("src/scan").filter((f) => f.endsWith(".wat"));
  expect(wats.length).toBeGreaterThan(0);
  for (const name of wats) {
    const embedded = readFileSync(`src/scan/${name.replace(/\.wat$/, "-wasm.ts")}`, "utf8");
    expect(embedded).toBe(wasmModuleSource(name, await compileWat(`src/scan/${name}`)));
  }
});
