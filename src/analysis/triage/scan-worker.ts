/**
 * Worker entry point of the parallel triage scan: scans the units it is sent, in order, one at a time, and posts
 * each tally back. Listed as an entry point in scripts/build.ts so the compiled binary contains it.
 */

import { serveRpc } from "../../workers/worker-rpc.ts";
import { packSignatures } from "./packed-signatures.ts";
import { EMPTY_PATTERNS, scanUnit, type PackedUnitResult, type UnitRequest } from "./scan-unit.ts";

// The main thread sends the next unit before this one is done (so this thread never waits for it); serveRpc still
// runs units one after another here.
serveRpc<UnitRequest, PackedUnitResult>(async (req) => {
  const { tally, problems } = await scanUnit(req);
  const { packed, transfer } = packSignatures(tally.signatures);
  return { result: { tally: { ...tally, signatures: [], patterns: EMPTY_PATTERNS }, signatures: packed, patterns: JSON.stringify(tally.patterns), problems }, transfer };
});
