/** What one session's sidecar is made from — stored as is in the tap record, so untap can rebuild it. */

import { doubleQuantity } from "./quantity.ts";
import type { SidecarMode } from "./sidecar-mode.ts";

export type ForwarderKind = "logtap" | "fluent-bit";

export interface SidecarSpec {
  session: string;
  /** The validated `--target` text. */
  target: string;
  forwarder: ForwarderKind;
  image: string;
  /** `--sidecar-memory` / `--sidecar-cpu`: the requests. */
  memory: string;
  cpu: string;
  mode: SidecarMode;
}

/** Requests as given, limits twice them — real arithmetic (quantity.ts), not upstream's text doubling (§22.4). */
export function sidecarResources(memory: string, cpu: string) {
  return {
    limits: { cpu: doubleQuantity(cpu), memory: doubleQuantity(memory) },
    requests: { cpu, memory },
  };
}
