/**
 * What a template knows about its lines: how many, when (first and last seen), from which services, and one
 * example — the message of the earliest line (on equal timestamps the one seen first, as triage's examples).
 * Mergeable, so per-value tallies and per-unit miners add up to the same totals in any grouping.
 */

/** Services listed per template; more are counted, not named. */
export const MAX_SERVICES = 8;

export class PatternStats {
  count = 0;
  firstSec = Infinity;
  firstNsec = 0;
  lastSec = -Infinity;
  lastNsec = 0;
  example = "";
  /** Service names in first-seen order (at most MAX_SERVICES). */
  readonly services: string[] = [];
  /** Whether services beyond the listed ones sent lines too. */
  moreServices = false;

  add(sec: number, nsec: number, msg: string, service: string, weight = 1): void {
    this.count += weight;
    if (sec < this.firstSec || (sec === this.firstSec && nsec < this.firstNsec)) {
      this.firstSec = sec;
      this.firstNsec = nsec;
      this.example = msg;
    }
    if (sec > this.lastSec || (sec === this.lastSec && nsec > this.lastNsec)) {
      this.lastSec = sec;
      this.lastNsec = nsec;
    }
    if (service !== "") this.#addService(service);
  }

  /** Adds another tally; on equal first timestamps this one's example stays (it was seen first). */
  merge(o: PatternStats): void {
    if (o.count === 0) return;
    this.count += o.count;
    if (o.firstSec < this.firstSec || (o.firstSec === this.firstSec && o.firstNsec < this.firstNsec)) {
      this.firstSec = o.firstSec;
      this.firstNsec = o.firstNsec;
      this.example = o.example;
    }
    if (o.lastSec > this.lastSec || (o.lastSec === this.lastSec && o.lastNsec > this.lastNsec)) {
      this.lastSec = o.lastSec;
      this.lastNsec = o.lastNsec;
    }
    for (const s of o.services) this.#addService(s);
    if (o.moreServices) this.moreServices = true;
  }

  clone(): PatternStats {
    const c = new PatternStats();
    c.merge(this);
    return c;
  }

  #addService(s: string): void {
    if (this.services.length > 0 && this.services[this.services.length - 1] === s) return;
    if (this.services.includes(s)) return;
    if (this.services.length < MAX_SERVICES) this.services.push(s);
    else this.moreServices = true;
  }
}
