/**
 * Worker entry point of the parallel triage scan: scans the units it is sent, in order, one at a time, and posts
 * each tally back. Listed as an entry point in scripts/build.ts so the compiled binary contains it.
 */

import { serveRpc } from "../../workers/worker-rpc.ts";
import { scanUnit, type UnitRequest, type UnitResult } from "./scan-unit.ts";

// The main thread sends the next unit before this one is done (so this thread never waits for it); serveRpc still
// runs units one after another here.
serveRpc<UnitRequest, UnitResult>(async (req) => ({ result: await scanUnit(req) }));
