/**
 * The log-script contract: what a container "prints", declared on the pod (template) as an annotation
 * `stand-in.logtap.dev/logs.<container>` whose value is JSON (documented in docs/testing.md). Parsed and checked
 * here so a typo in a test fails loudly instead of producing an empty log.
 */

export const LOG_SCRIPT_ANNOTATION_PREFIX = "stand-in.logtap.dev/logs.";

export interface LogScript {
  /** Fixed lines, printed in order (cycled when `count` is larger). Placeholders as in `template`. */
  lines?: string[];
  /** One line pattern: `{n}` (1-based line number across restarts), `{pod}`, `{namespace}`, `{container}`, `{restart}`. */
  template?: string;
  /** Lines in total, across restarts. Default: `lines.length`, or unlimited for `template`. `null` = unlimited. */
  count?: number | null;
  /** Lines per second, real time. Absent or 0: everything at once when the container starts. */
  rate?: number;
  /** Each instance exits after writing this many lines; the kubelet restarts it (new containerID, restartCount + 1). */
  restartAfter?: number;
  /** The exit code of those exits (default 1, reason Error; 0 gives reason Completed). */
  exitCode?: number;
  /** Rotate the log file after this many lines in the current file (the follow stream reading it ends). */
  rotateEvery?: number;
  /** Lines longer than this many bytes are written as runtime partial records (`P`) of this size, then the rest. */
  partialEvery?: number;
  /** Every `sameTimestamp` consecutive lines share one nanosecond timestamp (default 1: all distinct). */
  sameTimestamp?: number;
  /** "stdout" (default) or "stderr": pods/log merges both, as the real one does. */
  stream?: "stdout" | "stderr";
}

const KEYS = new Set(["lines", "template", "count", "rate", "restartAfter", "exitCode", "rotateEvery", "partialEvery", "sameTimestamp", "stream"]);

/** Parses and checks one annotation value; throws naming the container and the problem. */
export function parseLogScript(container: string, json: string): LogScript {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`log script for container "${container}": not JSON: ${(e as Error).message}`);
  }
  const fail = (why: string): never => {
    throw new Error(`log script for container "${container}": ${why}`);
  };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) fail("must be a JSON object");
  const s = raw as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!KEYS.has(k)) fail(`unknown key "${k}" (known: ${[...KEYS].join(", ")})`);
  if (s.lines !== undefined && (!Array.isArray(s.lines) || s.lines.some((l) => typeof l !== "string"))) fail(`"lines" must be an array of strings`);
  if (s.template !== undefined && typeof s.template !== "string") fail(`"template" must be a string`);
  if (s.lines === undefined && s.template === undefined) fail(`needs "lines" or "template"`);
  if (s.lines !== undefined && s.template !== undefined) fail(`give "lines" or "template", not both`);
  if (Array.isArray(s.lines) && s.lines.length === 0 && s.count) fail(`"lines" is empty but "count" asks for ${s.count}`);
  for (const k of ["rate", "restartAfter", "rotateEvery", "partialEvery", "sameTimestamp"]) {
    const v = s[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) fail(`"${k}" must be a non-negative number`);
  }
  for (const k of ["restartAfter", "rotateEvery", "partialEvery", "sameTimestamp"]) {
    if (s[k] !== undefined && (!Number.isInteger(s[k]) || (s[k] as number) < 1)) fail(`"${k}" must be a positive integer`);
  }
  if (s.count !== undefined && s.count !== null && (!Number.isInteger(s.count) || (s.count as number) < 0)) fail(`"count" must be a non-negative integer or null`);
  if (s.exitCode !== undefined && !Number.isInteger(s.exitCode)) fail(`"exitCode" must be an integer`);
  if (s.stream !== undefined && s.stream !== "stdout" && s.stream !== "stderr") fail(`"stream" must be "stdout" or "stderr"`);
  return s as LogScript;
}

/** The scripts a pod declares, by container name. */
export function logScriptsOf(annotations: Record<string, string> | undefined): Map<string, LogScript> {
  const out = new Map<string, LogScript>();
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (k.startsWith(LOG_SCRIPT_ANNOTATION_PREFIX)) out.set(k.slice(LOG_SCRIPT_ANNOTATION_PREFIX.length), parseLogScript(k.slice(LOG_SCRIPT_ANNOTATION_PREFIX.length), v));
  }
  return out;
}

/** The total number of lines a script writes, or Infinity. */
export function scriptTotal(s: LogScript): number {
  if (s.count === null) return Infinity;
  if (s.count !== undefined) return s.count;
  return s.lines ? s.lines.length : Infinity;
}

/** Line `n` (1-based, counted across restarts) of the script, placeholders filled. */
export function renderLine(s: LogScript, n: number, vars: { pod: string; namespace: string; container: string; restart: number }): string {
  const pattern = s.template ?? s.lines![(n - 1) % s.lines!.length];
  return pattern.replace(/\{(n|pod|namespace|container|restart)\}/g, (_, k: string) => (k === "n" ? String(n) : String((vars as any)[k])));
}
