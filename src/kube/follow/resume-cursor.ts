/**
 * Where a container's log was read up to, so a stream that ended can be resumed with no record lost and none
 * twice. `sinceTime` reaches the kubelet in whole seconds and the kubelet keeps records at or after it, so a resumed
 * stream repeats what was already read in that second: records older than the last one seen are skipped, and of
 * those stamped with exactly its nanosecond (several lines can share one), as many as were seen — as long as they
 * are the same records again, in the same order. After a rotation the new file may begin inside such a group: its
 * first records then differ from those seen and are new, though they share the instant (counting alone would
 * skip them).
 *
 * One cursor per container, across its instances: a later instance only logs after the earlier one stopped, so the
 * timestamps keep increasing. (A node clock stepped back makes records look already seen; nothing can tell them
 * from repeats then.)
 *
 * Continuity: a resumed stream that serves the last record seen again (or an older one) proves that nothing between
 * was lost — the log file still reaches back that far. One whose first new record comes without that proof starts
 * in a later file: lines between may have been rotated away.
 */

import { compareInstant, formatInstant } from "../../capture/timestamp.ts";

export interface Instant {
  sec: number;
  nsec: number;
}

export type Admission = "seen" | "new";

export class ResumeCursor {
  #sec: number;
  #nsec: number;
  /** The texts of the records seen stamped exactly (#sec, #nsec), in order (nearly always one). */
  #atLast: string[] = [];
  /** How many of those this stream has repeated so far; once one differs, no more are expected. */
  #repeated = 0;
  #repeating = false;
  /** This stream has to show it reaches back to the cursor; cleared once it has, or once it could not. */
  #proving = false;
  #unproven: { after: Instant; first: Instant } | null = null;

  /** Records older than `floor` (the capture's start, or `--since`) are never taken. */
  constructor(floor: Instant) {
    this.#sec = floor.sec;
    this.#nsec = floor.nsec;
  }

  /** This stream has not yet shown whether it reaches back to the cursor. */
  get proving(): boolean {
    return this.#proving;
  }

  /** The cursor as it is now, for rollback(): a stream whose records turn out not to be the instance's. */
  mark(): { sec: number; nsec: number; atLast: string[] } {
    return { sec: this.#sec, nsec: this.#nsec, atLast: [...this.#atLast] };
  }

  rollback(m: { sec: number; nsec: number; atLast: string[] }): void {
    this.#sec = m.sec;
    this.#nsec = m.nsec;
    this.#atLast = [...m.atLast];
    this.#repeating = false;
    this.#proving = false;
    this.#unproven = null;
  }

  /** Whether any record has been taken yet. */
  get started(): boolean {
    return this.#atLast.length > 0;
  }

  get last(): Instant {
    return { sec: this.#sec, nsec: this.#nsec };
  }

  /** The `sinceTime` to ask for: the cursor's whole second (what the API passes on anyway). */
  sinceTime(): string {
    return formatInstant(this.#sec, 0);
  }

  /**
   * A new stream begins. `resume`: it reads the instance read before, so it must prove it reaches back to the
   * cursor; a fresh instance's log starts after the cursor and has nothing to prove.
   */
  beginStream(resume: boolean): void {
    this.#repeated = 0;
    this.#repeating = this.#atLast.length > 0;
    this.#proving = resume && this.#atLast.length > 0;
    this.#unproven = null;
  }

  /** Decides for one record of the current stream, in order; "new" records move the cursor. */
  admit(sec: number, nsec: number, text: string): Admission {
    const c = compareInstant(sec, nsec, this.#sec, this.#nsec);
    if (c < 0) {
      this.#proving = false;
      return "seen";
    }
    if (c === 0) {
      if (this.#repeating && this.#atLast[this.#repeated] === text) {
        if (++this.#repeated === this.#atLast.length) {
          // The last record seen is served again: the file reaches back to it.
          this.#repeating = false;
          this.#proving = false;
        }
        return "seen";
      }
      this.#repeating = false;
      this.#unprove(sec, nsec);
      this.#atLast.push(text);
      return "new";
    }
    this.#unprove(sec, nsec);
    this.#sec = sec;
    this.#nsec = nsec;
    this.#atLast = [text];
    this.#repeating = false;
    return "new";
  }

  #unprove(sec: number, nsec: number): void {
    if (!this.#proving) return;
    this.#unproven = { after: this.last, first: { sec, nsec } };
    this.#proving = false;
  }

  /**
   * Set when this stream's first new record came without the proof: what was last seen before it, and that record.
   * Read (and cleared) by the follower after each batch of records.
   */
  takeUnproven(): { after: Instant; first: Instant } | null {
    const u = this.#unproven;
    this.#unproven = null;
    return u;
  }
}
