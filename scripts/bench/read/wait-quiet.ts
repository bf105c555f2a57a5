/**
 * hyperfine `--prepare` hook for a shared machine: waits until this process can get (nearly) all cores — two
 * Workers spinning 200 ms obtain ≥ 1.8 cores of CPU — or until the deadline, then exits 0. Appends the cores it
 * last measured to LOG (one number per line, `t` suffix when it gave up waiting), so the runner can say how many
 * timed runs started on a quiet machine.
 *
 * Run: bun scripts/bench/read/wait-quiet.ts LOG [MAX_WAIT_MS=3000]
 */

import { appendFileSync } from "node:fs";
import { cpus } from "node:os";

const [log, maxWait = "3000"] = process.argv.slice(2);
const N = Math.min(2, cpus().length);
const SPIN = URL.createObjectURL(new Blob([`self.onmessage=()=>{const t=performance.now();let x=0;while(performance.now()-t<200)x++;postMessage(x)}`]));

async function cores(): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: N }, () => new Promise<void>((res) => {
      const w = new Worker(SPIN);
      w.onmessage = () => (w.terminate(), res());
      w.postMessage(0);
    })),
  );
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - t0);
}

const deadline = performance.now() + Number(maxWait);
let c = await cores();
while (c < 0.9 * N && performance.now() < deadline) {
  await Bun.sleep(200);
  c = await cores();
}
if (log) appendFileSync(log, `${c.toFixed(2)}${c < 0.9 * N ? "t" : ""}\n`);
process.exit(0);
