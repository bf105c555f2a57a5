/** A receiver reached directly by URL (`logtap pull --url`): a port-forward, a VM, a test's loopback receiver. */

import { captureRemote, type CaptureRemote } from "./capture-remote.ts";

export function directRemote(baseUrl: string, token: string): CaptureRemote {
  const base = baseUrl.replace(/\/+$/, "");
  return captureRemote({
    where: base,
    token,
    send: (path, init) => fetch(base + path, { ...init, redirect: "manual" }),
  });
}
