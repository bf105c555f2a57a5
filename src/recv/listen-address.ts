/** `--listen` values: `host:port`, `:port` (all interfaces), `[v6]:port`. */

import { UsageError } from "../common/errors.ts";

export interface ListenAddress {
  hostname: string;
  port: number;
  loopback: boolean;
}

export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`invalid --listen: "${text}": expected host:port`);
  const host = m[1] ?? m[2] ?? "";
  const hostname = host === "" ? "0.0.0.0" : host;
  // Upstream counted [::1] as remote (its §3.2 quirk); it is loopback.
  const loopback = hostname === "localhost" || hostname === "::1" || /^127\./.test(hostname);
  return { hostname, port, loopback };
}
