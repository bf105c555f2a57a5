/**
 * metadata.json read with the type checks Go's decoder applies: catalog, gc and snapshot treat a directory as a
 * capture only when its metadata decodes, and a wrongly typed field is a decode error there, not a zero value.
 */

import { MetadataError, readMetadata } from "../capture/metadata.ts";
import { parseCaptureTime, type CaptureTime } from "./capture-time.ts";

export interface CaptureMetadata {
  started: CaptureTime;
  stopped: CaptureTime;
  totalLines: number;
  labelsSeen: string[];
}

/** Throws MetadataError (`read metadata: …` / `unmarshal metadata: …`) like the shared reader. */
export function readCaptureMetadata(dir: string): CaptureMetadata {
  const raw: unknown = readMetadata(dir);
  try {
    return decodeMetadata(raw);
  } catch (e) {
    throw new MetadataError(`unmarshal metadata: ${(e as Error).message}`);
  }
}

export function decodeMetadata(raw: unknown): CaptureMetadata {
  if (raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error("metadata is not a JSON object");
  const m = raw as Record<string, unknown>;
  const totalLines = m.total_lines ?? 0;
  if (typeof totalLines !== "number" || !Number.isInteger(totalLines)) throw new Error("total_lines is not an integer");
  const labels = m.labels_seen ?? [];
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== "string")) throw new Error("labels_seen is not a list of strings");
  return { started: parseCaptureTime(m.started), stopped: parseCaptureTime(m.stopped), totalLines, labelsSeen: labels as string[] };
}
