/**
 * The bytes `pods/log` sends for one container instance (kuberuntime/logs ReadLogs): the current file from
 * `tailLines` records before its end, records older than `since` skipped, each record with a `<RFC3339NanoFixed> `
 * prefix when `timestamps`, a newline after every full record (partial records run on into the next), cut at
 * `limitBytes`. With `follow` it keeps sending new records until the instance stops or its file is rotated.
 */

import type { ContainerLog, LogEvent, LogFile, LogRecord } from "./container-log.ts";
import type { PodLogOptions } from "./pod-log-options.ts";

const encoder = new TextEncoder();

export function podLogStream(log: ContainerLog | undefined, opts: PodLogOptions): ReadableStream<Uint8Array> {
  let unsubscribe: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (!log) {
        controller.close();
        return;
      }
      const file: LogFile = log.current;
      let remaining = opts.limitBytes ?? Infinity;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        unsubscribe?.();
        controller.close();
      };
      const send = (r: LogRecord) => {
        if (done || (opts.sinceNs !== undefined && r.ns < opts.sinceNs)) return;
        let bytes = encoder.encode(`${opts.timestamps ? `${r.time} ` : ""}${r.text}${r.partial ? "" : "\n"}`);
        if (bytes.length > remaining) bytes = bytes.subarray(0, remaining);
        remaining -= bytes.length;
        controller.enqueue(bytes);
        if (remaining <= 0) finish();
      };
      const tail = opts.tailLines;
      const existing = tail === undefined ? file.records : tail === 0 ? [] : file.records.slice(-tail);
      for (const r of existing) send(r);
      // Without follow, or for an instance (or file) that is finished, what is there is all there is.
      if (done || !opts.follow || log.closed || file.rotated) return finish();
      unsubscribe = file.subscribe((e: LogEvent) => {
        if (e.kind === "record") send(e.record);
        else finish();
      });
    },
    cancel() {
      unsubscribe?.();
    },
  });
}
