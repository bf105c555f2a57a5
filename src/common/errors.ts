/** Error kinds with the exit codes of the product README: every failure a user sees is one of these. */

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  permission: 4,
  network: 5,
  findings: 6,
  /** tap --wait: the new pods did not come up (the run's changes were rolled back unless --no-rollback). */
  rollout: 7,
} as const;

const TYPE_BY_CODE: Record<number, string> = {
  1: "internal",
  2: "invalid_args",
  3: "not_found",
  4: "permission",
  5: "network",
  6: "findings",
  7: "rollout_failed",
};

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

export class NotFoundError extends CliError {
  constructor(message: string) {
    super(message, EXIT.notFound);
  }
}

export class FindingsError extends CliError {
  constructor(message: string) {
    super(message, EXIT.findings);
  }
}

const NOT_FOUND = new Set(["ENOENT", "ENOTDIR"]);
const PERMISSION = new Set(["EACCES", "EPERM", "EROFS"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN"]);

/** Maps anything thrown to an exit code: our own kinds first, then errno codes, then upstream's message rules (§1.6). */
export function classify(err: unknown): { code: number; type: string; message: string } {
  const message = oneLine(err instanceof Error ? err.message : String(err));
  let code: number = EXIT.internal;
  if (err instanceof CliError) code = err.exitCode;
  else {
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    if (errno !== undefined && NOT_FOUND.has(errno)) code = EXIT.notFound;
    else if (errno !== undefined && PERMISSION.has(errno)) code = EXIT.permission;
    else if (errno !== undefined && NETWORK.has(errno)) code = EXIT.network;
    else if (/no such file|metadata\.json|not a valid capture/.test(message)) code = EXIT.notFound;
    else if (/permission denied/i.test(message)) code = EXIT.permission;
    else if (/connection refused|timeout|no such host|network is unreachable/i.test(message)) code = EXIT.network;
  }
  return { code, type: TYPE_BY_CODE[code] ?? "internal", message };
}

function oneLine(s: string): string {
  const line = s.split("\n").find((l) => l.trim() !== "") ?? s;
  return line.trim() || "unknown error";
}

/** Upstream §1.4: JSON error mode is decided from the raw argv, so even a parse failure reports in JSON. */
export function wantsJsonErrors(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a === "--json" || a === "--format=json") return true;
    if (a === "--format" && argv[i + 1] === "json") return true;
  }
  return false;
}

export function formatError(err: unknown, json: boolean): { code: number; text: string } {
  const c = classify(err);
  const text = json
    ? JSON.stringify({ exit_code: c.code, error: c.type, message: c.message, recoverable: c.code === EXIT.network })
    : `error: ${c.message}`;
  return { code: c.code, text };
}
