/**
 * Machine output to stdout in large writes. A closed pipe (`logtap grep … | head`) ends the command quietly with
 * exit 0, like grep, instead of an EPIPE error.
 */

let closed = false;

process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") {
    closed = true;
    process.exit(0);
  }
  throw e;
});

export function stdoutClosed(): boolean {
  return closed;
}

/** Resolves when the text is handed to the OS (or buffered within the stream's limit), so writers keep backpressure. */
export function writeStdout(text: string): Promise<void> | void {
  if (text === "" || closed) return;
  if (!process.stdout.write(text)) return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}
