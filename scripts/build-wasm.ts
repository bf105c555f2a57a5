/**
 * Compiles the WebAssembly text modules (src/scan/*.wat) to the TypeScript modules that embed their bytes
 * (`<name>-wasm.ts`), so `bun build --compile` carries them with no file to find at run time. Run it after editing a
 * .wat; tests/scan/wasm-modules.test.ts recompiles every module and fails when an embedded copy differs.
 *
 *   node_modules/.bin/bun scripts/build-wasm.ts
 */

import { readdirSync, writeFileSync } from "node:fs";
import { wasmModuleSource, compileWat } from "./wasm-modules.ts";

const dir = "src/scan";
for (const name of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
  const wat = `${dir}/${name}`;
  const out = wat.replace(/\.wat$/, "-wasm.ts");
  writeFileSync(out, wasmModuleSource(name, await compileWat(wat)));
  console.log(`${wat} -> ${out}`);
}
