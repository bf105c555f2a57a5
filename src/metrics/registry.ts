/** A minimal Prometheus registry: counters, gauges and histograms rendered in the text exposition format 0.0.4. */

type LabelValues = Record<string, string>;

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  abstract readonly type: string;
  abstract render(): string;
  header(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
  }
}

function labelText(labels: LabelValues): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return "{" + keys.map((k) => `${k}="${labels[k]!.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",") + "}";
}

export class Counter extends Metric {
  readonly type = "counter";
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
  render(): string {
    return this.header() + `${this.name} ${this.value}\n`;
  }
}

export class Gauge extends Metric {
  readonly type = "gauge";
  value = 0;
  /** When set, the value is read at scrape time (queue length, disk usage). */
  collect?: () => number;
  set(v: number): void {
    this.value = v;
  }
  inc(n = 1): void {
    this.value += n;
  }
  dec(n = 1): void {
    this.value -= n;
  }
  render(): string {
    return this.header() + `${this.name} ${this.collect ? this.collect() : this.value}\n`;
  }
}

/** A counter family keyed by one label (e.g. redactions per pattern). */
export class LabeledCounter extends Metric {
  readonly type = "counter";
  readonly #values = new Map<string, number>();
  constructor(
    name: string,
    help: string,
    readonly label: string,
    initial: readonly string[] = [],
  ) {
    super(name, help);
    for (const v of initial) this.#values.set(v, 0);
  }
  inc(value: string, n = 1): void {
    this.#values.set(value, (this.#values.get(value) ?? 0) + n);
  }
  get(value: string): number {
    return this.#values.get(value) ?? 0;
  }
  render(): string {
    let out = this.header();
    for (const [v, n] of this.#values) out += `${this.name}${labelText({ [this.label]: v })} ${n}\n`;
    return out;
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Metric {
  readonly type = "histogram";
  readonly #counts: number[];
  #sum = 0;
  #count = 0;
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {
    super(name, help);
    this.#counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.#sum += v;
    this.#count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.#counts[i]!++;
  }
  render(): string {
    let out = this.header();
    this.buckets.forEach((b, i) => (out += `${this.name}_bucket{le="${b}"} ${this.#counts[i]}\n`));
    out += `${this.name}_bucket{le="+Inf"} ${this.#count}\n${this.name}_sum ${this.#sum}\n${this.name}_count ${this.#count}\n`;
    return out;
  }
}

export class Registry {
  readonly #metrics: Metric[] = [];
  register<M extends Metric>(m: M): M {
    this.#metrics.push(m);
    return m;
  }
  render(): string {
    return this.#metrics.map((m) => m.render()).join("");
  }
}
