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

/**
 * Resolves when the OS has the text: streaming writers keep backpressure, and a command that fails right after
 * printing (its exit would otherwise drop output still queued for a pipe) loses nothing.
 */
export function writeStdout(text: string): Promise<void> {
  if (text === "" || closed) return Promise.resolve();
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err && !closed ? reject(err) : resolve())));
}
