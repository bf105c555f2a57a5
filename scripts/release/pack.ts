/**
 * Reproducible .tar.gz archives: the same files give the same bytes. Entries are sorted by name with their parent
 * directories before them, every entry has one fixed mtime (the commit's time), fixed modes and uid/gid 0 with no
 * user names (src/archive/tar/header.ts writes no others), and the gzip header carries no time or file name.
 */

import { tarStream, type TarSourceItem } from "../../src/archive/tar/tar-writer.ts";

export interface ArchiveFile {
  /** Path inside the archive, `/`-separated, relative. */
  path: string;
  /** File whose bytes go in. */
  source: string;
  executable: boolean;
}

/** The tar items for `files`: each file's parent directories once, then everything in name order. */
export function tarItems(files: readonly ArchiveFile[], mtime: number): TarSourceItem[] {
  const items = new Map<string, TarSourceItem>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      items.set(dir, { path: dir, kind: "directory", source: "", mode: 0o755, mtime });
    }
    items.set(f.path, { path: f.path, kind: "file", source: f.source, mode: f.executable ? 0o755 : 0o644, mtime });
  }
  // A directory sorts before what it holds because its name is a prefix of theirs.
  return [...items.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The whole .tar.gz in memory (a release archive is ~60 MB): zlib's gzip header has mtime 0 and no name, and
 * level 9 since an archive is built once and downloaded often.
 */
export async function tarGz(files: readonly ArchiveFile[], mtime: number): Promise<Uint8Array> {
  const tar = new Uint8Array(await new Response(tarStream(tarItems(files, mtime))).arrayBuffer());
  return Bun.gzipSync(tar, { level: 9 });
}
