/** Rejection of a push body, per the receiver spec (shared/reference/upstream-behaviour.md §3.4–3.5: 400 with a one-line text body). */

const MAX_MESSAGE = 512;

/**
 * The only error the push decoders throw for bad input. Its message is sent verbatim as the 400 body, so it is
 * forced onto one line and capped: client-supplied text (label strings, JSON errors) can be arbitrarily long.
 */
export class PushDecodeError extends Error {
  override name = "PushDecodeError";

  constructor(message: string) {
    const line = message.replace(/[\r\n]+/g, " ");
    super(line.length > MAX_MESSAGE ? line.slice(0, MAX_MESSAGE - 1) + "…" : line);
  }
}

/** JSON.parse's error text without the runtime's own prefix, so `invalid JSON: …` doesn't say "JSON" twice. */
export function jsonSyntaxDetail(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^JSON Parse error:\s*/, "");
}

/** Quotes client text for an error message without letting a huge value dominate it. */
export function quoteForError(text: string, max = 64): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + "…" : text);
}
