/**
 * Machine output to stdout in large writes. A closed pipe (`logtap grep … | head`) ends the command quietly with
 * exit 0, like grep, instead of an EPIPE error.
 *
 * Written with Bun.write rather than process.stdout: the first touch of process.stdout loads Node's stream stack,
 * which more than doubles a hello-world's start-up (docs/benchmarks.md, Start-up). It also corrupts this output:
 * under Bun 1.4.5, once process.stdout exists, these writes into a pipe a slow reader fills repeat or drop 64 KiB
 * runs, so nothing may touch it (src/tui/tty.ts asks isatty instead; tests/commands/open.test.ts, "slow pipe").
 */

let written: Promise<void> = Promise.resolve();

/**
 * Resolves when the OS has the text: streaming writers keep backpressure, and a command that fails right after
 * printing (its exit would otherwise drop output still queued for a pipe) loses nothing. Each write waits for the
 * one before, so text arrives in call order even while a slow reader holds one back.
 */
export function writeStdout(text: string | Uint8Array): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  written = written.then(() => Bun.write(Bun.stdout, text)).then(() => undefined, closedOrThrow);
  return written;
}

/** Resolves once everything written before has reached the OS, or stdout failed. */
export function stdoutFlushed(): Promise<void> {
  return written.catch(() => undefined);
}

function closedOrThrow(e: NodeJS.ErrnoException): never {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
}
