/** Where the subcommand is in argv: the first word that is not a flag nor the value of the global `--timeout` before it. */
export function commandWordIndex(argv: readonly string[]): number {
  return argv.findIndex((a, i) => !a.startsWith("-") && argv[i - 1] !== "--timeout");
}
