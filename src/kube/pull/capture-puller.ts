/**
 * Brings a receiver's capture home into a local directory, while it is written and at the end, so that the local
 * directory ends up byte for byte the receiver's (docs/kubernetes.md, "In-cluster receiver and bringing the capture
 * home"). Every round (`sync`):
 *
 * 1. metadata.json, whole — first, so a directory that holds another capture is refused before anything is written;
 * 2. the data files in name order: what the local copy lacks, by Range from its size. A sealed file is then checked
 *    against its SHA-256 and never fetched again; the active file just grows, frame by frame, as in the receiver;
 * 3. local data files the receiver no longer has (its --max-disk cap deleted them) are deleted too;
 * 4. audit.jsonl, appended from the local size (it only grows);
 * 5. index.jsonl, whole, but only once every file it names is complete here — so the local directory is always a
 *    capture every logtap command reads: indexed files complete, the others read as unindexed files.
 *
 * Nothing but the local sizes is state: an interrupted pull (Ctrl+C, a dropped connection, a crash) goes on where
 * the files stand. `complete` finishes the receiver, pulls the rest and checks every file against the receiver's
 * final listing.
 */

import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync, constants } from "node:fs";
import { join } from "node:path";
import { INDEX_FILE, METADATA_FILE, AUDIT_FILE, isDataFileName } from "../../capture/data-files.ts";
import { DIR_MODE, FILE_MODE } from "../../capture/file-modes.ts";
import { UsageError } from "../../common/errors.ts";
import { regularFileSize, type CaptureListing, type ListedFile } from "../../recv/capture-listing.ts";
import { RemoteError, type CaptureRemote } from "./capture-remote.ts";

export interface PullRound {
  /** Bytes fetched this round. */
  bytes: number;
  /** Data files now complete here (sealed and verified). */
  sealed: number;
  /** Data files deleted here because the receiver's disk cap deleted them. */
  deleted: string[];
  finished: boolean;
}

export interface PullSummary {
  files: number;
  /** Size of the local capture. */
  bytes: number;
  lines: number;
}

export class CapturePuller {
  /** Data files whose local copy matched the receiver's SHA-256: name → digest. */
  readonly #verified = new Map<string, string>();
  /** This directory's metadata was compared with the receiver's in an earlier round. */
  #sameCapture = false;

  constructor(
    readonly remote: CaptureRemote,
    readonly dir: string,
  ) {}

  async sync(signal?: AbortSignal): Promise<PullRound> {
    const listing = await this.remote.list(signal);
    const round: PullRound = { bytes: 0, sealed: 0, deleted: [], finished: listing.finished };
    // Metadata is written at start and at the end: fetched in the first round (to know it is the same capture),
    // then when it changed, and once finished.
    if (!this.#sameCapture || this.#changed(listing, METADATA_FILE)) {
      const metadata = await this.#fetchWhole(METADATA_FILE, signal);
      round.bytes += metadata.length;
      this.#refuseOtherCapture(metadata);
      this.#sameCapture = true;
      mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
      writeAtomically(this.dir, METADATA_FILE, metadata);
    }

    const data = listing.files.filter((f) => isDataFileName(f.name));
    for (const f of data) {
      round.bytes += await this.#pullData(f, signal);
      if (this.#verified.get(f.name) === f.sha256) round.sealed++;
    }
    const kept = new Set(data.map((f) => f.name));
    for (const name of readdirSync(this.dir)) {
      if (!isDataFileName(name) || kept.has(name) || regularFileSize(this.dir, name) === null) continue;
      unlinkSync(join(this.dir, name));
      this.#verified.delete(name);
      round.deleted.push(name);
    }

    const audit = listing.files.find((f) => f.name === AUDIT_FILE);
    if (audit) round.bytes += await this.#append(AUDIT_FILE, audit.size, signal);
    // No index until the first file is closed; it changes only when a file is closed or the cap deletes one.
    if (this.#changed(listing, INDEX_FILE)) {
      const index = await this.#fetchWhole(INDEX_FILE, signal);
      round.bytes += index.length;
      if (indexedNames(index).every((name) => this.#verified.has(name))) writeAtomically(this.dir, INDEX_FILE, index);
    }
    return round;
  }

  /**
   * Finishes the receiver (it takes no more pushes and finalises the capture), pulls what is left, and checks that
   * every file here is the receiver's, by size and SHA-256.
   */
  async complete(signal?: AbortSignal): Promise<PullSummary> {
    const totals = await this.remote.finish(signal);
    const round = await this.sync(signal);
    if (!round.finished) throw new RemoteError(`the receiver at ${this.remote.where} did not finish its capture`, true);
    const listing = await this.remote.list(signal);
    await this.#checkIdentical(listing);
    return { files: listing.files.length, bytes: listing.files.reduce((n, f) => n + f.size, 0), lines: totals.lines };
  }

  /** A file the receiver lists that the local copy may lack: another size here, or the capture is final. */
  #changed(listing: CaptureListing, name: string): boolean {
    const there = listing.files.find((f) => f.name === name);
    return there !== undefined && (listing.finished || regularFileSize(this.dir, name) !== there.size);
  }

  /** Data file: fetch what is missing; a sealed file is verified (once fetched again from the start if it differs). */
  async #pullData(f: ListedFile, signal?: AbortSignal): Promise<number> {
    if (f.state === "sealed" && this.#verified.get(f.name) === f.sha256) return 0;
    let fetched = 0;
    for (let attempt = 0; ; attempt++) {
      const have = regularFileSize(this.dir, f.name) ?? 0;
      // Longer than the receiver's file (a copy of something else): start over.
      fetched += await this.#append(f.name, f.size, signal, have > f.size ? 0 : have);
      if (f.state !== "sealed") return fetched;
      const digest = await fileDigest(join(this.dir, f.name));
      if (digest === f.sha256) {
        this.#verified.set(f.name, digest);
        return fetched;
      }
      if (attempt > 0) throw new RemoteError(`${f.name}: the copy does not match the receiver's SHA-256 even when fetched whole`, false);
      truncate(join(this.dir, f.name));
    }
  }

  /** Appends the bytes of `name` from `from` (default: the local size) while the local copy is shorter than `size`. */
  async #append(name: string, size: number, signal?: AbortSignal, from = regularFileSize(this.dir, name) ?? 0): Promise<number> {
    if (from >= size) return 0;
    const path = join(this.dir, name);
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT, FILE_MODE);
    let at = from;
    try {
      ftruncateSync(fd, from);
      for await (const chunk of await this.remote.read(name, from, signal)) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off, at + off);
        at += chunk.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return at - from;
  }

  async #fetchWhole(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    const out: Uint8Array[] = [];
    for await (const chunk of await this.remote.read(name, 0, signal)) out.push(chunk);
    return Buffer.concat(out);
  }

  #refuseOtherCapture(remoteMetadata: Uint8Array): void {
    const local = regularFileSize(this.dir, METADATA_FILE) === null ? null : readFileSync(join(this.dir, METADATA_FILE));
    if (local === null) {
      const stray = existingEntries(this.dir).filter((n) => !isDataFileName(n) && n !== INDEX_FILE && n !== AUDIT_FILE && !n.startsWith("."));
      if (stray.length > 0) throw new UsageError(`${this.dir} is not empty and holds no capture (${stray.slice(0, 3).join(", ")}): pull into a new directory`);
      return;
    }
    const started = (bytes: Uint8Array) => {
      try {
        return String(JSON.parse(Buffer.from(bytes).toString("utf8")).started);
      } catch {
        return "";
      }
    };
    const mine = started(local);
    const theirs = started(remoteMetadata);
    if (mine !== theirs) {
      throw new UsageError(`${this.dir} holds another capture (started ${mine || "unknown"}; the receiver's started ${theirs || "unknown"}): pull into a new directory`);
    }
  }

  async #checkIdentical(listing: CaptureListing): Promise<void> {
    const wrong: string[] = [];
    for (const f of listing.files) {
      const size = regularFileSize(this.dir, f.name);
      if (size !== f.size) wrong.push(`${f.name} (${size ?? "missing"} bytes here, ${f.size} there)`);
      else if ((this.#verified.get(f.name) ?? (await fileDigest(join(this.dir, f.name)))) !== f.sha256) wrong.push(`${f.name} (SHA-256 differs)`);
    }
    if (wrong.length > 0) throw new RemoteError(`the local capture differs from the receiver's: ${wrong.join(", ")}`, true);
  }
}

function indexedNames(index: Uint8Array): string[] {
  const names: string[] = [];
  for (const line of Buffer.from(index).toString("utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const file = JSON.parse(line).file;
      if (typeof file === "string") names.push(file);
    } catch {
      // readers skip such lines too
    }
  }
  return names;
}

/** Written beside the file under a dot-name (never read as capture data), then renamed over it. */
function writeAtomically(dir: string, name: string, bytes: Uint8Array): void {
  const tmp = join(dir, `.${name}.pull`);
  writeFileSync(tmp, bytes, { mode: FILE_MODE });
  renameSync(tmp, join(dir, name));
}

function truncate(path: string): void {
  const fd = openSync(path, constants.O_WRONLY);
  try {
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

function existingEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function fileDigest(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
