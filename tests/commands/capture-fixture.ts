/** Small capture directories built file by file, the way the receiver (ours or upstream's) leaves them. */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FixtureOptions {
  started?: string | null;
  stopped?: string;
  totalLines?: number;
  labelsSeen?: string[] | null;
  /** Extra files (name → content), written after the standard ones. */
  files?: Record<string, string | Uint8Array>;
  /** Leave out index.jsonl: a capture that never rotated has none. */
  noIndex?: boolean;
}

export const LINE_A = '{"ts":"2024-01-15T10:32:05Z","labels":{"app":"web"},"msg":"hello"}\n';
export const LINE_B = '{"ts":"2024-01-15T10:32:06Z","labels":{"app":"api"},"msg":"boom <err> & more"}\n';

export function metadataText(o: FixtureOptions): string {
  const started = o.started === undefined ? "2024-01-15T10:32:01.123456789Z" : o.started;
  return JSON.stringify(
    {
      version: 1,
      format: "jsonl",
      started,
      stopped: o.stopped ?? "2024-01-15T10:40:00Z",
      total_lines: o.totalLines ?? 2,
      total_bytes: LINE_A.length + LINE_B.length,
      labels_seen: o.labelsSeen === undefined ? null : o.labelsSeen,
    },
    null,
    2,
  );
}

/** A capture with metadata.json, index.jsonl, audit.jsonl, one closed .jsonl.zst and one active .jsonl file. */
export function makeCapture(dir: string, o: FixtureOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "metadata.json"), metadataText(o));
  writeFileSync(join(dir, "2024-01-15T103201-000.jsonl.zst"), Bun.zstdCompressSync(Buffer.from(LINE_A)));
  writeFileSync(join(dir, "2024-01-15T103512-000.jsonl"), LINE_B);
  if (!o.noIndex) {
    writeFileSync(
      join(dir, "index.jsonl"),
      `{"file":"2024-01-15T103201-000.jsonl.zst","from":"2024-01-15T10:32:05Z","to":"2024-01-15T10:32:05Z","lines":1,"bytes":${LINE_A.length},"labels":{"app":{"web":1}}}\n`,
    );
  }
  writeFileSync(join(dir, "audit.jsonl"), '{"timestamp":"2024-01-15T10:32:01.1235Z","event":"server_started"}\n');
  for (const [name, content] of Object.entries(o.files ?? {})) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
