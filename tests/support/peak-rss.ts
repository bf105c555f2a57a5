/**
 * The peak resident size of a spawned process, from its own /proc/PID/status (VmHWM, polled).
 *
 * Not `resourceUsage().maxRSS`: a child's ru_maxrss keeps the high-water mark of the memory it shared with its
 * parent before exec, so every child of a test runner that has grown to 700 MB reports at least 700 MB. VmHWM
 * belongs to the address space the child made at exec; readings before the exec (the command line is still the
 * runner's) are ignored.
 */

import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

const POLL_MS = 10;

function ownHighWater(pid: number, argv0: string): number | null {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline.split("\0")[0] !== argv0) return null;
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return kib === null ? null : Number(kib[1]) * 1024;
  } catch {
    return null; // exited between two polls
  }
}

/** Polls until the process exits and resolves to the largest VmHWM seen, in bytes (0 if it was never seen). */
export async function peakRss(proc: Subprocess, argv0: string): Promise<number> {
  let peak = 0;
  while (proc.exitCode === null && proc.signalCode === null) {
    peak = Math.max(peak, ownHighWater(proc.pid, argv0) ?? 0);
    await Bun.sleep(POLL_MS);
  }
  return peak;
}
