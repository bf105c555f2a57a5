/** Byte chunks → text lines (without the "\n"), for watch events and log lines. */

export interface LinesOptions {
  /**
   * What to do with text after the last "\n" when the stream ends: "yield" it (a log that does not end with a
   * newline), or "drop" it (a watch event cut off by a dropped connection is no event).
   */
  tail: "yield" | "drop";
}

export async function* splitLines(chunks: AsyncIterable<Uint8Array>, opts: LinesOptions): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunks) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      yield text.slice(start, nl);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== "" && opts.tail === "yield") yield rest;
}
