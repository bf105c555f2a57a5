/**
 * The byte markers of a stored capture line, `{"ts":"…"[,"labels":{…}],"msg":"…"[,"meta":{…}]}` (upstream §2.3), for
 * the code that writes lines or finds their parts by bytes instead of parsing them (the encoder, the stored-line
 * judge and frame scanner, judged text output, triage's frame tally). `,"msg":"` cannot occur inside a JSON string
 * (its quotes would be escaped), so the first one after the labels' start ends them.
 */

export const TS_OPEN = Buffer.from('{"ts":"');
/** After the timestamp's closing quote. */
export const LABELS_KEY = Buffer.from(',"labels":');
export const MSG_KEY = Buffer.from(',"msg":"');

/** `needle` is at buf[at…]: an index past the end reads `undefined`, which no byte equals. */
export function bytesAt(buf: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let k = 0; k < needle.length; k++) if (buf[at + k] !== needle[k]) return false;
  return true;
}
