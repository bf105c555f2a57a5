/**
 * Fault injection semantics (upstream §6): for an entry inside the window [at, at + duration), each fault in flag
 * order rewrites the running output list, which starts as the entry itself. Entries outside the window pass as
 * they are. Everything injected or altered carries the label `_injected="true"`.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import type { Instant } from "../../capture/timestamp.ts";
import type { Fault } from "./fault-spec.ts";

export const SYNTHETIC_ERRORS: readonly string[] = ["error: connection timeout", "error: 503 service unavailable", "panic: runtime error"];
export const SLOW_SUFFIX = " [SLOW: 5.2s]";

export interface InjectWindow {
  at: Instant;
  /** Window length in nanoseconds. */
  durationNs: number;
}

export class Injector {
  readonly #faults: readonly Fault[];
  readonly #fromSec: number;
  readonly #fromNsec: number;
  readonly #toSec: number;
  readonly #toNsec: number;
  // One marked label set per original set, so entries of a stream keep sharing a labels object downstream.
  readonly #marked = new WeakMap<Labels, Labels>();

  constructor(faults: readonly Fault[], window: InjectWindow) {
    this.#faults = faults;
    this.#fromSec = window.at.sec;
    this.#fromNsec = window.at.nsec;
    const endNs = window.at.nsec + window.durationNs;
    const carry = Math.floor(endNs / 1e9);
    this.#toSec = window.at.sec + carry;
    this.#toNsec = Math.round(endNs - carry * 1e9);
  }

  get active(): boolean {
    return this.#faults.length > 0;
  }

  inWindow(e: Entry): boolean {
    const afterStart = e.sec > this.#fromSec || (e.sec === this.#fromSec && e.nsec >= this.#fromNsec);
    const beforeEnd = e.sec < this.#toSec || (e.sec === this.#toSec && e.nsec < this.#toNsec);
    return afterStart && beforeEnd;
  }

  #mark(labels: Labels): Labels {
    let m = this.#marked.get(labels);
    if (m === undefined) {
      m = Object.freeze({ ...labels, _injected: "true" });
      this.#marked.set(labels, m);
    }
    return m;
  }

  /**
   * What replaces `e` in the output (possibly nothing, possibly more than one entry).
   * @example new Injector([{ kind: "error-spike" }], window).apply(entry).length // 4 inside the window
   */
  apply(e: Entry): Entry[] {
    if (!this.inWindow(e)) return [e];
    let out: Entry[] = [e];
    const app = e.labels.app;
    for (const f of this.#faults) {
      if (f.kind === "error-spike") {
        const labels = this.#mark(e.labels);
        for (const msg of SYNTHETIC_ERRORS) out.push({ sec: e.sec, nsec: e.nsec, labels, msg });
      } else if (app === f.service) {
        // Both faults act on every output entry of the service, including ones an earlier fault added.
        if (f.kind === "service-down") out = out.filter((x) => x.labels.app !== f.service);
        else out = out.map((x) => (x.labels.app === f.service ? { ...x, labels: this.#mark(x.labels), msg: x.msg + SLOW_SUFFIX } : x));
      }
    }
    return out;
  }
}
