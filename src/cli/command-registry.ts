/** Every subcommand, loaded lazily so `logtap --version` and `logtap recv` only pay for what they import. */

import type { CommandDef } from "citty";

export interface CommandEntry {
  description: string;
  load: () => Promise<CommandDef<any>>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  recv: {
    description: "Start the log receiver (Loki push API) and write a capture directory",
    load: () => import("../commands/recv.ts").then((m) => m.default),
  },
  grep: {
    description: "Search captures for matching entries",
    load: () => import("../commands/grep.ts").then((m) => m.default),
  },
  open: {
    description: "Replay a capture directory",
    load: () => import("../commands/open.ts").then((m) => m.default),
  },
  version: {
    description: "Print version information",
    load: () => import("../commands/version.ts").then((m) => m.default),
  },
};
