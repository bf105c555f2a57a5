/** What the follower tells its user (the receiver: audit trail, metrics, stderr; the forwarder: its own). */

import type { Instant } from "./resume-cursor.ts";
import type { BudgetReport } from "./stream-budget.ts";

export type GapReason =
  /** The log file holding the lines after `after` was rotated away while the stream was down. */
  | "rotated"
  /** The container restarted more than once while the stream was down: the instance being read is gone. */
  | "restarted"
  /** The pod was deleted while the stream was down: the rest of its log went with it. */
  | "deleted";

export interface FollowGap {
  reason: GapReason;
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  /** The last line captured before the gap. */
  after: Instant;
  /** The first line captured after it, when the stream went on. */
  before?: Instant;
}

export interface FollowEvents {
  /** Lines that could not be read and never will be: recorded, never silent. */
  gap(g: FollowGap): void;
  /** One-line problems worth a user's attention (streams failing, a permission missing). */
  warning(text: string): void;
  /** Containers wait for a stream: the budget is reached. Without it, budgetWarning()'s line goes to warning(). */
  budget?(r: BudgetReport): void;
  /** A log stream or pod watch was opened again after it ended or failed. */
  reconnect(): void;
  /** Log streams open now, and containers waiting for a slot (`--max-streams`). */
  streams(active: number, waiting: number): void;
}
