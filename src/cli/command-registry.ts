/** Every subcommand, loaded lazily so `logtap --version` and `logtap recv` only pay for what they import. */

import type { CommandDef } from "citty";

export interface CommandEntry {
  description: string;
  /** Other names the command answers to (`doctor` for `check`, as upstream); not listed in help or completion. */
  aliases?: string[];
  /** Reads whole captures, frame after frame: runs with mimalloc keeping freed memory (allocator-tuning.ts). */
  readsWholeCaptures?: true;
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
  inspect: {
    description: "Show labels, timeline and stats of a capture",
    load: () => import("../commands/inspect.ts").then((m) => m.default),
  },
  open: {
    description: "Replay a capture directory",
    load: () => import("../commands/open.ts").then((m) => m.default),
  },
  snapshot: {
    description: "Pack a capture into one .tar.zst file, or extract one with --extract",
    load: () => import("../commands/snapshot.ts").then((m) => m.default),
  },
  sign: {
    description: "Sign a capture (manifest.sha256) or verify it with --verify",
    load: () => import("../commands/sign.ts").then((m) => m.default),
  },
  upload: {
    description: "Upload a capture to S3, an S3-compatible store or GCS (--share: presigned URLs)",
    load: () => import("../commands/upload.ts").then((m) => m.default),
  },
  download: {
    description: "Download a capture from S3, an S3-compatible store or GCS into a directory",
    load: () => import("../commands/download.ts").then((m) => m.default),
  },
  gc: {
    description: "Delete old capture directories by age or total size",
    load: () => import("../commands/gc.ts").then((m) => m.default),
  },
  catalog: {
    description: "Discover and list capture directories",
    load: () => import("../commands/catalog.ts").then((m) => m.default),
  },
  export: {
    description: "Export a capture to Parquet, CSV or JSONL",
    readsWholeCaptures: true,
    load: () => import("../commands/export.ts").then((m) => m.default),
  },
  slice: {
    description: "Copy a time range or subset of a capture into a new capture",
    readsWholeCaptures: true,
    load: () => import("../commands/slice.ts").then((m) => m.default),
  },
  merge: {
    description: "Merge several capture directories into one",
    readsWholeCaptures: true,
    load: () => import("../commands/merge.ts").then((m) => m.default),
  },
  diff: {
    description: "Compare two captures, or judge one against a baseline (--baseline, --ci)",
    readsWholeCaptures: true,
    load: () => import("../commands/diff.ts").then((m) => m.default),
  },
  triage: {
    description: "Find errors, error bursts, top talkers and cross-service correlations in a capture",
    readsWholeCaptures: true,
    load: () => import("../commands/triage.ts").then((m) => m.default),
  },
  patterns: {
    description: "List the log patterns (templates) of a capture with counts, times, services and an example",
    readsWholeCaptures: true,
    load: () => import("../commands/patterns.ts").then((m) => m.default),
  },
  report: {
    description: "Incident report of a capture: severity, top errors, suggested commands (report.json, report.html)",
    readsWholeCaptures: true,
    load: () => import("../commands/report.ts").then((m) => m.default),
  },
  watch: {
    description: "Follow a live capture (or show the end of a finished one)",
    load: () => import("../commands/watch.ts").then((m) => m.default),
  },
  check: {
    description: "Check cluster readiness (permissions per command, quotas) and find leftovers",
    aliases: ["doctor"],
    load: () => import("../commands/check.ts").then((m) => m.default),
  },
  status: {
    description: "Show tapped workloads, their forwarders and receiver stats",
    load: () => import("../commands/status.ts").then((m) => m.default),
  },
  tap: {
    description: "Add the log-forwarding sidecar to workloads (exactly reversible with untap)",
    load: () => import("../commands/tap.ts").then((m) => m.default),
  },
  untap: {
    description: "Remove logtap sidecars from workloads, restoring their pod templates exactly",
    load: () => import("../commands/untap.ts").then((m) => m.default),
  },
  deploy: {
    description: "Deploy a receiver pod and service in the cluster (or remove them with --cleanup)",
    load: () => import("../commands/deploy.ts").then((m) => m.default),
  },
  pull: {
    description: "Bring an in-cluster receiver's capture home, while it is written and at the end",
    load: () => import("../commands/pull.ts").then((m) => m.default),
  },
  completion: {
    description: "Print a shell completion script (bash, zsh or fish)",
    load: () => import("../commands/completion.ts").then((m) => m.completionCommand(COMMANDS)),
  },
  init: {
    description: "Create ~/.logtap/config.yaml with commented defaults",
    load: () => import("../commands/init.ts").then((m) => m.default),
  },
  skill: {
    description: "Print SKILL.md: commands, JSON outputs, exit codes and the incident workflow, for agents",
    load: () => import("../commands/skill.ts").then((m) => m.default),
  },
  version: {
    description: "Print version information",
    load: () => import("../commands/version.ts").then((m) => m.default),
  },
};

/** The command a name or alias on the command line stands for, with its canonical name (config keys use that). */
export function findCommand(name: string): { name: string; entry: CommandEntry } | undefined {
  if (Object.hasOwn(COMMANDS, name)) return { name, entry: COMMANDS[name]! };
  const found = Object.entries(COMMANDS).find(([, e]) => e.aliases?.includes(name));
  return found && { name: found[0], entry: found[1] };
}
