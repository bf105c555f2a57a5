/** Where a run's lines go: the command decides (stderr, stdout, a progress line on a terminal; JSON mode keeps stdout for the result). */

export interface RunOutput {
  /** A line for the person running it (stderr). */
  line(text: string): void;
  /** A `--dry-run` diff (stdout in text mode; left out in JSON mode, where the change is data). */
  diff(text: string): Promise<void>;
  /** The state of the rollouts still waited for (a progress line on a terminal, nothing otherwise). */
  progress(lines: string[]): void;
  progressDone(): void;
}
