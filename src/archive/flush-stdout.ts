/**
 * Writes a command's result and waits until the OS has it: a command that fails after printing (sign --verify
 * exits 6 with its report on stdout) ends in process.exit(), which would drop output still queued for a pipe.
 */
export function flushStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}
