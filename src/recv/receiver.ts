/**
 * The receiver: binds the server first (so a busy port fails before anything is written), then assembles
 * [worker threads: decode → redact] → ingest queue → observe (GC hint) → [observe (TUI)] → encode JSONL → capture sink,
 * with `--follow` also pod-log source → [redact] → the same queue, and on stop drains it all and finalises the capture.
 */

import type { Server } from "bun";
import { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import { EncodeJsonlStream } from "../../pipeline/stages/encode-jsonl.ts";
import { CaptureSink } from "../../pipeline/sinks/capture-sink.ts";
import { ObserveStream } from "../../pipeline/stages/observe.ts";
import type { EntryBatch } from "../model/entry.ts";
import type { EntryProducer } from "../../pipeline/sources/pod-log-source.ts";
import type { FollowEvents } from "../kube/follow/follow-events.ts";
import type { Redactor } from "../redact/redactor.ts";
import { startFollowIntake, type FollowIntake } from "./follow-intake.ts";
import { createFollowMetrics } from "./follow-metrics.ts";
import { FollowReport } from "./follow-report.ts";
import { AuditLog } from "../capture/audit-log.ts";
import { finishedMetadata, startMetadata, writeMetadata, type Metadata } from "../capture/metadata.ts";
import { formatInstantOf, nowInstant } from "../capture/timestamp.ts";
import { CaptureWriter, type CaptureTotals } from "../capture/writer/capture-writer.ts";
import { GC_HINT_PUSHES, PushDecodePool } from "../server/push-decode-pool.ts";
import { gcHintEvery } from "../workers/gc-hint.ts";
import { startReceiverServer } from "../server/receiver-server.ts";
import type { CaptureFilesContext } from "../server/handlers/capture-files.ts";
import { CaptureListingSource } from "./capture-listing.ts";
import type { BodyLimits } from "../server/request-body.ts";
import type { ListenAddress } from "./listen-address.ts";
import { PushIntake, type OverloadPolicy } from "./push-intake.ts";
import { createReceiverMetrics, type ReceiverMetrics } from "./receiver-metrics.ts";

export interface ReceiverOptions {
  listen: ListenAddress;
  dir: string;
  maxFileBytes: number;
  maxDiskBytes: number;
  compress: boolean;
  buffer: number;
  limits: BodyLimits;
  /** Built-in pattern names to apply (null = redaction off) and an optional YAML file of custom patterns. */
  redact: { names: string[]; customFile?: string } | null;
  tls?: { cert: string; key: string };
  /** What a push that does not fit the queue gets: `drop` (204, counted) or `429` (refused whole). */
  overload?: OverloadPolicy;
  /** Told about rotations and failed writes (webhooks). */
  hooks?: { rotated?: () => void; writeFailed?: () => void };
  /** One-line operational messages (write errors); the command decides where they go. */
  log: (line: string) => void;
  /** Sees every batch after redaction, before it is written (the TUI's log ring and top talkers). */
  observe?: (batch: EntryBatch) => void;
  /** `--serve-capture`: serve the capture directory read-only to holders of this token (and let them finish it). */
  serveCapture?: { token: string };
  /** `--follow`: the receiver also reads containers' logs from the cluster (the producer is made with its report). */
  follow?: { create: (events: FollowEvents) => EntryProducer; targets: string; maxStreams: number };
}

export class Receiver {
  readonly metrics: ReceiverMetrics;
  readonly queue: IngestQueue;
  readonly #server: Server<undefined>;
  readonly #writer: CaptureWriter;
  readonly #audit: AuditLog;
  readonly #metadata: Metadata;
  readonly #pipeline: Promise<void>;
  readonly #dir: string;
  readonly #decodePool: PushDecodePool;
  #intake!: PushIntake;
  /** With `--follow`: gaps, streams and the figures for the status line and the summary. */
  readonly followReport: FollowReport | null = null;
  readonly #follow: FollowIntake | null = null;
  #stopping: Promise<CaptureTotals> | null = null;
  #finishing: Promise<CaptureTotals> | null = null;
  #finished = false;

  /** Redaction patterns are compiled (and rejected) before the port is bound or any file is written. */
  static async start(o: ReceiverOptions): Promise<Receiver> {
    // The decode workers build their own redactor from the same configuration; this one only validates it and
    // names the patterns.
    const redaction = o.redact ? await import("../redact/redactor.ts") : null;
    const patterns = o.redact ? (await redaction!.createRedactor(o.redact)).patterns : null;
    const metrics = createReceiverMetrics(patterns ?? []);
    // Followed lines are redacted on the main thread: they arrive far slower than pushes can.
    const followRedactor = o.redact && o.follow ? await redaction!.createRedactor({ ...o.redact, onHit: (p, n) => metrics.redactions.inc(p, n) }) : null;
    return new Receiver(o, patterns, metrics, followRedactor);
  }

  private constructor(o: ReceiverOptions, redactPatterns: readonly string[] | null, metrics: ReceiverMetrics, followRedactor: Redactor | null) {
    this.#dir = o.dir;
    this.metrics = metrics;
    this.#decodePool = new PushDecodePool({ redact: o.redact });
    this.queue = new IngestQueue(o.buffer);
    const ctx = {
      intake: null as unknown as PushIntake,
      metrics: this.metrics,
      limits: o.limits,
      listen: o.listen,
      queue: this.queue,
      tls: o.tls,
      decodePool: this.#decodePool,
      captureFiles: o.serveCapture ? this.#captureFiles(o.dir, o.serveCapture.token) : undefined,
    };
    this.#server = startReceiverServer(ctx);

    // Everything below is synchronous, so no request can reach the intake before it exists.
    const m = this.metrics;
    this.#writer = new CaptureWriter({
      dir: o.dir,
      maxFileBytes: o.maxFileBytes,
      maxDiskBytes: o.maxDiskBytes,
      compress: o.compress,
      receiveClock: () => Date.now() / 1000,
      events: {
        onFrame: (stored, raw, lines) => {
          m.written.inc(lines);
          m.bytesWritten.inc(raw);
          m.bytesStored.inc(stored);
        },
        onRotate: (entry, reason) => {
          if (reason === "size") {
            m.rotations.inc("size");
            o.hooks?.rotated?.();
          }
          this.#audit.record({ event: "file_rotated", file: entry.file, lines: entry.lines, bytes: entry.bytes });
        },
        onDelete: (file, bytes) => {
          m.filesDeleted.inc();
          this.#audit.record({ event: "file_deleted", file, bytes, reason: "disk_cap" });
        },
        onWriteError: (err, lost) => {
          m.rotationErrors.inc();
          o.hooks?.writeFailed?.();
          m.dropped.inc(lost);
          o.log(`write error: ${err.message.split("\n")[0]}${lost > 0 ? ` (${lost} lines lost)` : ""}`);
        },
        onDiskUsage: (bytes) => m.diskUsage.set(bytes),
      },
    });
    m.queueLength.collect = () => this.queue.length;
    m.queueCapacity.set(o.buffer);
    m.diskUsage.collect = () => this.#writer.diskUsage();

    this.#metadata = startMetadata(
      o.dir,
      formatInstantOf(nowInstant()),
      redactPatterns ? { enabled: true, patterns: [...redactPatterns] } : undefined,
    );
    writeMetadata(o.dir, this.#metadata);
    this.#audit = new AuditLog(o.dir);
    this.#audit.record({ event: "server_started" });
    this.#intake = ctx.intake = new PushIntake(this.queue, this.metrics, this.#audit, o.overload ?? "drop");

    let stream: ReadableStream<EntryBatch> = this.queue.readable.pipeThrough(new ObserveStream(gcHintEvery(GC_HINT_PUSHES)));
    if (o.observe) stream = stream.pipeThrough(new ObserveStream(o.observe));
    this.#pipeline = stream.pipeThrough(new EncodeJsonlStream()).pipeTo(new CaptureSink(this.#writer));

    if (o.follow) {
      const report = new FollowReport(this.#audit, createFollowMetrics(this.metrics.registry), o.log);
      this.followReport = report;
      this.#audit.record({ event: "follow_started", targets: o.follow.targets, max_streams: o.follow.maxStreams });
      this.#follow = startFollowIntake(o.follow.create(report), this.queue, this.metrics, report.metrics, followRedactor);
    }
  }

  get url(): string {
    return this.#server.url.href;
  }

  get port(): number {
    return this.#server.port ?? 0;
  }

  get dir(): string {
    return this.#dir;
  }

  /** Stops accepting, drains the queue, closes the last frame and file, then rewrites metadata. Idempotent. */
  stop(): Promise<CaptureTotals> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  /**
   * Finalises the capture as stop() does, but the server keeps running: pushes are refused from now on (503), and
   * the health, metrics and capture endpoints still answer, so a puller can fetch the final files. Idempotent.
   */
  finish(): Promise<CaptureTotals> {
    this.#finishing ??= this.#finalise();
    return this.#finishing;
  }

  get finished(): boolean {
    return this.#finished;
  }

  async #shutdown(): Promise<CaptureTotals> {
    // In-flight requests finish (and are queued) before the queue closes: nothing acknowledged is lost.
    await this.#server.stop();
    this.#decodePool.close();
    return this.finish();
  }

  async #finalise(): Promise<CaptureTotals> {
    // Following stops first: what it read is queued before the queue closes.
    await this.#follow?.stop();
    this.#intake.finish();
    this.queue.close();
    await this.#pipeline;
    const totals = await this.#writer.close();
    writeMetadata(this.#dir, finishedMetadata(this.#metadata, formatInstantOf(nowInstant()), totals.lines, totals.bytes, totals.labelKeys));
    const followed = this.followReport ? { follow_lines: this.followReport.metrics.lines.value, follow_gaps: this.followReport.gaps } : {};
    this.#audit.record({ event: "server_stopped", skewed_old: this.metrics.skewed.get("old"), skewed_future: this.metrics.skewed.get("future"), ...followed });
    this.#audit.close();
    this.metrics.diskUsage.set(this.#writer.diskUsage());
    this.#finished = true;
    return totals;
  }

  #captureFiles(dir: string, token: string): CaptureFilesContext {
    return {
      dir,
      token,
      listing: new CaptureListingSource(dir, () => this.#finished),
      finish: () => this.finish().then((t) => ({ lines: t.lines, bytes: t.bytes })),
    };
  }
}
