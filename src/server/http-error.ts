/** An HTTP failure with the status and one-line reason the client receives. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
