/**
 * `manifest.sha256` (upstream §2.7): `sha256sum` text, one `<hex>␠␠<name>` line per regular file of the capture
 * directory, sorted by name. The root hash is the SHA-256 of those lines, i.e. of the manifest itself.
 */

import { readdirSync } from "node:fs";
import { MANIFEST_FILE } from "../../capture/data-files.ts";
import { compareBytewise } from "../byte-order.ts";

export { MANIFEST_FILE };

export interface ManifestLine {
  file: string;
  sha256: string;
}

export function formatManifest(lines: readonly ManifestLine[]): string {
  return lines.map((l) => `${l.sha256}  ${l.file}\n`).join("");
}

/** Lines without a double space are not entries and are ignored, as upstream does. */
export function parseManifest(text: string): ManifestLine[] {
  const out: ManifestLine[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const sep = line.indexOf("  ");
    if (sep < 0) continue;
    out.push({ sha256: line.slice(0, sep), file: line.slice(sep + 2) });
  }
  return out;
}

export function rootHash(lines: readonly ManifestLine[]): string {
  return new Bun.CryptoHasher("sha256").update(formatManifest(lines)).digest("hex");
}

/** The files a manifest covers: regular files directly in `dir` (no subdirectories, no symlinks), byte-sorted. */
export function signableFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== MANIFEST_FILE)
    .map((e) => e.name)
    .sort(compareBytewise);
}
