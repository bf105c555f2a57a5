/** Progress on stderr for long work — only when stderr is a terminal, so pipes and agents never see it. */

export interface Progress {
  update(text: string): void;
  done(finalLine?: string): void;
}

export function createProgress(opts: { minIntervalMs?: number } = {}): Progress {
  const tty = process.stderr.isTTY === true;
  const every = opts.minIntervalMs ?? 100;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < every) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done(finalLine) {
      if (tty && shown) process.stderr.write("\r\x1b[2K");
      if (finalLine !== undefined) process.stderr.write(finalLine + "\n");
    },
  };
}
