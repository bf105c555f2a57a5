/** Text and JSON layouts of `sign` and `sign --verify` (upstream §18). */

import { goJsonDocument as goJson } from "../../capture/go-json.ts";
import { MANIFEST_FILE } from "./manifest.ts";
import type { SignResult } from "./sign.ts";
import type { VerifyResult } from "./verify.ts";

export function signText(r: SignResult): string {
  const lines = [`Signed ${r.dir} (${r.files.length} files)`, `Root hash: ${r.root_hash}`, `Manifest:  ${MANIFEST_FILE}`];
  for (const f of r.files) lines.push(`  ${f.sha256.slice(0, 12)}  ${f.file} (${f.bytes} bytes)`);
  return lines.join("\n") + "\n";
}

export function verifyText(r: VerifyResult): string {
  if (r.valid) return `OK: ${r.dir} integrity verified\n`;
  const lines = [`FAIL: ${r.dir} integrity check failed`];
  for (const m of r.mismatches ?? []) lines.push(`  MISMATCH  ${m.file}`, `    expected: ${m.expected}`, `    actual:   ${m.actual}`);
  for (const f of r.missing ?? []) lines.push(`  MISSING   ${f}`);
  for (const f of r.extra ?? []) lines.push(`  EXTRA     ${f}`);
  return lines.join("\n") + "\n";
}

export function signJson(r: SignResult | VerifyResult): string {
  return goJson(r, true);
}
