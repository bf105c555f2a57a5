/**
 * Worker entry point of the parallel triage scan: scans the units it is sent, in order, one at a time, and posts
 * each tally back. Listed as an entry point in scripts/build.ts so the compiled binary contains it.
 */

import { scanUnit, type UnitRequest } from "./scan-unit.ts";

declare const self: Worker;

// The main thread sends the next unit before this one is done (so this thread never waits for it); units still run
// one after another here.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (ev: MessageEvent<UnitRequest & { id: number }>) => {
  const { id, ...req } = ev.data;
  queue = queue.then(async () => {
    try {
      postMessage({ id, result: await scanUnit(req) });
    } catch (e) {
      postMessage({ id, error: e instanceof Error ? e.message : String(e) });
    }
  });
};
