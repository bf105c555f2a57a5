/** What every reading command needs to know about a capture before reading it: metadata, index and its clock. */

import { statSync } from "node:fs";
import { readIndex, type IndexEntry } from "./index-file.ts";
import { NotFoundError } from "../common/errors.ts";
import { MetadataError, readMetadata, type Metadata } from "./metadata.ts";
import type { CaptureClock } from "./filters/time-spec.ts";
import { isZeroInstant, nowInstant, parseRfc3339, type Instant } from "./timestamp.ts";

export interface CaptureInfo {
  dir: string;
  metadata: Metadata;
  index: IndexEntry[];
  clock: CaptureClock;
  live: boolean;
}

export class NotACaptureError extends Error {}

function instant(text: string | undefined): Instant | null {
  if (!text) return null;
  const t = parseRfc3339(text);
  return t === null || isZeroInstant(t) ? null : t;
}

function minMax(index: IndexEntry[], key: "from" | "to", pick: (a: Instant, b: Instant) => boolean): Instant | null {
  let out: Instant | null = null;
  for (const e of index) {
    const t = instant(e[key]);
    if (t && (out === null || pick(t, out))) out = t;
  }
  return out;
}

const earlier = (a: Instant, b: Instant) => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);
const later = (a: Instant, b: Instant) => earlier(b, a);

/** Throws NotACaptureError (missing directory or metadata.json) or MetadataError (unparsable metadata). */
export function openCapture(dir: string): CaptureInfo {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new NotACaptureError(`open ${dir}: no such file or directory`);
  }
  if (!st.isDirectory()) throw new NotACaptureError(`${dir} is not a directory (not a valid capture)`);
  const metadata = readMetadata(dir);
  const index = readIndex(dir);
  const started = instant(metadata.started);
  const stopped = instant(metadata.stopped);
  const start = started ?? minMax(index, "from", earlier) ?? nowInstant();
  // Relative times (`-30m`) count back from the end: the stop time, else (live or crashed) the newest indexed data.
  const end = stopped ?? minMax(index, "to", later) ?? start;
  return { dir, metadata, index, clock: { start, end }, live: stopped === null };
}

/** Opens the capture for a command, mapping "not a capture" to exit 3. */
export function openCaptureDir(dir: string): CaptureInfo {
  try {
    return openCapture(dir);
  } catch (e) {
    if (e instanceof NotACaptureError) throw new NotFoundError(e.message);
    if (e instanceof MetadataError && /no such file/.test(e.message)) throw new NotFoundError(e.message);
    throw e;
  }
}
