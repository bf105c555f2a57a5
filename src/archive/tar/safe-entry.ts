/**
 * What extraction accepts (the security rule of `snapshot --extract`): regular files and directories whose
 * names stay inside the output directory. Absolute names, any `..` component, backslashes, NUL bytes, links,
 * devices, FIFOs and unknown entry types make the whole archive refused.
 */

import type { TarEntry } from "./tar-reader.ts";

export class UnsafeArchiveError extends Error {}

const KIND_TEXT: Record<string, string> = {
  symlink: "symbolic link",
  hardlink: "hard link",
  "char-device": "character device",
  "block-device": "block device",
  fifo: "FIFO",
};

/**
 * The entry's path as relative components (empty for the archive root `./`). Refusing every `..` — even a
 * harmless `a/../b` — keeps the rule simple enough to trust; our own snapshots never contain one.
 */
export function safeEntryPath(entry: TarEntry): string[] {
  if (entry.kind !== "file" && entry.kind !== "directory") {
    const what = KIND_TEXT[entry.kind] ?? `entry of type '${entry.typeflag.replace(/[^\x20-\x7e]/g, "?")}'`;
    const target = entry.kind === "symlink" || entry.kind === "hardlink" ? ` -> ${entry.linkname}` : "";
    throw new UnsafeArchiveError(`refusing archive: ${what} ${entry.name}${target} (only regular files and directories are extracted)`);
  }
  const name = entry.name;
  if (name.startsWith("/") || name.includes("\\") || name.includes("\0") || /^[A-Za-z]:/.test(name)) {
    throw new UnsafeArchiveError(`invalid path in archive: ${name}`);
  }
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new UnsafeArchiveError(`invalid path in archive: ${name}`);
  if (parts.length === 0 && entry.kind === "file") throw new UnsafeArchiveError(`invalid path in archive: ${JSON.stringify(name)}`);
  return parts;
}
