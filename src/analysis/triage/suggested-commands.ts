/**
 * Commands triage and report suggest, made so they run as printed: arguments shell-quoted, and a regex built from the
 * signature (upstream pasted the signature itself, whose `<N>` placeholders match no line).
 */

import { formatInstantSeconds } from "../../capture/timestamp.ts";
import { signatureRegex } from "./signature-regex.ts";
import type { TriageResult } from "./triage-result.ts";
import type { Window } from "./windows.ts";

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

function timeArg(sec: number): string {
  return formatInstantSeconds({ sec, nsec: 0 });
}

export function sliceWindowCommand(dir: string, w: Window, out: string): string {
  return `logtap slice ${shellQuote(dir)} --from ${timeArg(w.fromSec)} --to ${timeArg(w.toSec)} --out ${out}`;
}

/** slice's `--grep` runs on the stored JSON line, so the pattern stops before anything JSON escapes. */
export function sliceSignatureCommand(dir: string, signature: string, out: string): string | null {
  const re = signatureRegex(signature, { maxChars: 40, rawLine: true });
  return re === "" ? null : `logtap slice ${shellQuote(dir)} --grep ${shellQuote(re)} --out ${out}`;
}

export function grepSignatureCommand(dir: string, signature: string): string {
  return `logtap grep ${shellQuote(signatureRegex(signature))} ${shellQuote(dir)} --format text`;
}

/** "Recommended Slices" of summary.md and report.html. */
export function recommendedSlices(r: TriageResult): string[] {
  const out: string[] = [];
  if (r.windows.peak_error) out.push(sliceWindowCommand(r.dir, r.windows.peak_error, "./incident"));
  const top = r.errors[0];
  const bySignature = top ? sliceSignatureCommand(r.dir, top.signature, "./top-error") : null;
  if (bySignature) out.push(bySignature);
  return out;
}
