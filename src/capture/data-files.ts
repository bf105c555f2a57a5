/** Which files of a capture directory hold data (upstream §2.1, §2.10 with the Q1 fix) and how they are named (§2.2). */

export const METADATA_FILE = "metadata.json";
export const INDEX_FILE = "index.jsonl";
export const AUDIT_FILE = "audit.jsonl";
export const MANIFEST_FILE = "manifest.sha256";

const NOT_DATA = new Set([INDEX_FILE, AUDIT_FILE, METADATA_FILE, MANIFEST_FILE, ".gitkeep"]);

/** Upstream treats audit.jsonl as data (its Q1); we never do. */
export function isDataFileName(name: string): boolean {
  return (name.endsWith(".jsonl") || name.endsWith(".jsonl.zst")) && !NOT_DATA.has(name) && !name.startsWith(".");
}

export function isCompressedName(name: string): boolean {
  return name.endsWith(".zst");
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

/**
 * Names data files `YYYY-MM-DDTHHMMSS-NNN.jsonl[.zst]` from the UTC wall clock at open; NNN counts files opened
 * within one second so names stay unique and sort in creation order.
 */
export class DataFileNamer {
  #lastStamp = "";
  #seq = 0;

  next(compressed: boolean, now = new Date()): string {
    const stamp =
      `${pad(now.getUTCFullYear(), 4)}-${pad(now.getUTCMonth() + 1, 2)}-${pad(now.getUTCDate(), 2)}` +
      `T${pad(now.getUTCHours(), 2)}${pad(now.getUTCMinutes(), 2)}${pad(now.getUTCSeconds(), 2)}`;
    this.#seq = stamp === this.#lastStamp ? this.#seq + 1 : 0;
    this.#lastStamp = stamp;
    return `${stamp}-${pad(this.#seq, 3)}.jsonl${compressed ? ".zst" : ""}`;
  }
}
