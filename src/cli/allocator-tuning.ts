/**
 * Commands that read a whole capture allocate and free megabytes a frame (decompressed text, its strings, parsed
 * lines). mimalloc, Bun's allocator, hands freed memory back to the OS 10 ms later by default, so a scan that spends
 * longer than that per frame faults the same memory in again and again: triage, report and export spent a quarter
 * of their time in page faults (docs/benchmarks.md, "Allocator"). `MIMALLOC_PURGE_DELAY=-1` keeps it, but mimalloc
 * reads its options only at process start, so such a command re-executes itself once with the variable set
 * (`process.execve`: the same process id, stdio and signals), unless the user set it. Short and long-lived commands
 * (inspect, grep, recv, the TUI) keep the default: ~20 ms of second start-up, or memory given back over hours.
 */

import { findCommand } from "./command-registry.ts";
import { commandWordIndex } from "./command-word.ts";

export const ALLOCATOR_ENV = "MIMALLOC_PURGE_DELAY";

type Exec = (file: string, args: string[], env: Record<string, string | undefined>) => void;

/**
 * Re-executes a whole-capture command with the allocator setting; returns when there is nothing to do, or when the
 * exec fails (the binary replaced or deleted under a running command): the command then runs as it is, only slower.
 */
export function tuneAllocator(argv: readonly string[], exec: Exec = (f, a, e) => process.execve!(f, a, e)): void {
  // Not under Bun's flags (`--cpu-prof`): its sampling thread signals the main thread, and a signal pending at the
  // exec kills the new image before Bun installs its handler (seen: "Power failure"). Set the variable to profile.
  if (process.env[ALLOCATOR_ENV] !== undefined || typeof process.execve !== "function" || process.execArgv.length > 0) return;
  const word = argv[commandWordIndex(argv)];
  const found = word === undefined ? undefined : findCommand(word);
  if (!found?.entry.readsWholeCaptures) return;
  // A compiled binary is its own program (argv[1] is the bundled entry); from source, Bun needs the script again.
  const script = Bun.main.startsWith("/$bunfs/") ? [] : [process.argv[1]!];
  try {
    exec(process.execPath, [process.argv0, ...script, ...argv], { ...process.env, [ALLOCATOR_ENV]: "-1" });
  } catch {
    // Nothing to report: the setting only changes speed.
  }
}
