/**
 * `logtap-forwarder sleep <seconds>`: the preStop hook tap gives the sidecar in container mode
 * (src/kube/tap/forwarder-defaults.ts, PRESTOP_COMMAND). The image has no shell, so the binary sleeps itself; it
 * reads no LOGTAP_* variable and opens no connection, so the hook works whatever the pod's environment is.
 */

export const SLEEP_USAGE = "usage: logtap-forwarder sleep <seconds>";

/** Whole seconds, as the contract says; anything else is a usage error (exit 2). */
export function sleepSeconds(args: readonly string[]): number | undefined {
  if (args.length !== 1 || !/^\d{1,9}$/.test(args[0]!)) return undefined;
  return Number(args[0]);
}

export async function runSleep(args: readonly string[]): Promise<number> {
  const seconds = sleepSeconds(args);
  if (seconds === undefined) {
    console.error(SLEEP_USAGE);
    return 2;
  }
  await Bun.sleep(seconds * 1000);
  return 0;
}
