/**
 * A pattern that RE2 rejects (or that this translator cannot express). The message has the shape of Go's
 * regexp/syntax errors, `error parsing regexp: <reason>: `<fragment>``, because users compare it with upstream.
 */
export class RegexSyntaxError extends Error {
  override readonly name = "RegexSyntaxError";

  constructor(
    readonly reason: string,
    /** The offending part of the pattern, as Go reports it (sometimes the whole pattern). */
    readonly fragment: string,
  ) {
    super(`error parsing regexp: ${reason}: \`${fragment}\``);
  }
}
