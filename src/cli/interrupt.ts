/**
 * Ctrl+C for commands that change a cluster: the first SIGINT aborts the signal (the command then stops or undoes
 * what it started — a half-done tap is rolled back), a second one exits at once (130) for a user who will not wait.
 */

export interface Interrupt {
  signal: AbortSignal;
  /** Stops listening for SIGINT. */
  release(): void;
}

/** `what` says on stderr what happens now (tap: "undoing what this run changed"). */
export function onInterrupt(what: string): Interrupt {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nInterrupted: ${what} (Ctrl+C again to stop at once)\n`);
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", handler);
  return { signal: controller.signal, release: () => void process.off("SIGINT", handler) };
}
