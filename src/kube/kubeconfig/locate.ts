/**
 * Which kubeconfig files to read, in kubectl's order: `--kubeconfig` alone (it must exist), else every file in
 * KUBECONFIG (colon-separated, duplicates and missing files skipped), else ~/.kube/config if it exists.
 */

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export interface LocateOptions {
  kubeconfig?: string;
  env: Record<string, string | undefined>;
  /** Home directory; defaults to $HOME, then the OS's idea of it. */
  home?: string;
}

export interface Located {
  files: string[];
  /** True for --kubeconfig: a missing file is an error, not "nothing configured". */
  explicit: boolean;
}

export function locateKubeconfigs(opts: LocateOptions): Located {
  if (opts.kubeconfig) return { files: [opts.kubeconfig], explicit: true };
  const list = opts.env.KUBECONFIG;
  if (list) {
    const files = [...new Set(list.split(delimiter).filter((f) => f !== "").map((f) => resolve(f)))];
    return { files: files.filter((f) => existsSync(f)), explicit: false };
  }
  const home = opts.home ?? (opts.env.HOME || homedir());
  const file = join(home, ".kube", "config");
  return { files: existsSync(file) ? [file] : [], explicit: false };
}
