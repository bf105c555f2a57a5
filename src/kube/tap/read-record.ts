/** Reading the tap record off a workload's pod template, with the messages tap and untap give when it is unreadable. */

import { RECORD_ANNOTATION } from "./names.ts";
import { parseRecord, type TapRecord } from "./tap-record.ts";
import type { PodTemplate } from "./workload.ts";

export type RecordRead = { record: TapRecord | null; error: null } | { record: null; error: string };

/** The template's record (null when it has none), or why it cannot be read. */
export function readRecord(t: PodTemplate): RecordRead {
  const text = t.metadata?.annotations?.[RECORD_ANNOTATION];
  if (text === undefined) return { record: null, error: null };
  try {
    return { record: parseRecord(text), error: null };
  } catch (e) {
    return { record: null, error: `${RECORD_ANNOTATION} is unreadable: ${(e as Error).message}` };
  }
}
