/** What a tap run is asked to do: the flags, checked (src/commands/tap.ts), and the namespace the connection chose. */

import type { SidecarModeFlag } from "../tap/sidecar-mode.ts";
import type { ForwarderKind } from "../tap/sidecar-spec.ts";
import type { Selection } from "./selection.ts";

export interface TapRequest {
  namespace: string;
  selection: Selection;
  target: string;
  forwarder: ForwarderKind;
  image?: string;
  memory: string;
  cpu: string;
  sidecarMode: SidecarModeFlag;
  pinImages: boolean;
  dryRun: boolean;
  force: boolean;
  allowProd: boolean;
  rollback: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Ctrl+C: ends the changes or the wait, which are then rolled back. */
  interrupt?: AbortSignal;
}
