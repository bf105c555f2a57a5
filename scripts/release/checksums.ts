/** SHA256SUMS in `sha256sum` text format (`<hex>  <name>`), sorted by name, so `sha256sum -c` checks it. */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function sha256Sums(files: readonly string[]): string {
  return [...files]
    .map((f) => ({ name: basename(f), hex: sha256Hex(readFileSync(f)) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => `${e.hex}  ${e.name}\n`)
    .join("");
}
