/**
 * `?watch=true` as the API server streams it: one JSON event per line in a chunked response
 * (`{"type":"ADDED","object":{...}}`), ADDED for everything when no resourceVersion (or "0") is given, else a
 * replay of what happened after it; a version older than the kept history is HTTP 200 followed by one ERROR event
 * carrying the 410 Expired Status. Label and field selectors filter as the watch cache does, from the object before
 * and after each change: an object that stops matching arrives as DELETED, one that starts matching as ADDED.
 * `allowWatchBookmarks` adds BOOKMARK events (every bookmarkIntervalMs, and the initial-events-end bookmark of
 * `sendInitialEvents=true`); `timeoutSeconds` ends the stream cleanly.
 */

import type { KubeObject, ResourceType, WatchEvent } from "./contract.ts";
import type { DropMode, Faults } from "./faults.ts";
import { apiVersionOf, type MemoryStore } from "./store.ts";
import { isApiStatusError } from "./status-errors.ts";
import { toTable, type IncludeObject } from "./table.ts";

export interface WatchStreamOptions {
  store: MemoryStore;
  type: ResourceType;
  namespace: string | undefined;
  params: URLSearchParams;
  matches: (o: KubeObject) => boolean;
  asTable: boolean;
  include: IncludeObject;
  faults: Faults;
  bookmarkIntervalMs: number;
  /** Resets the connection under the stream (a watch "dropped" the hard way). */
  resetConnection: () => void;
}

const encoder = new TextEncoder();

export function watchResponse(o: WatchStreamOptions): Response {
  const { store, type, params } = o;
  const rvParam = params.get("resourceVersion") ?? "";
  const initialEvents = params.get("sendInitialEvents") === "true";
  const bookmarks = params.get("allowWatchBookmarks") === "true" || params.get("allowWatchBookmarks") === "1";
  const timeoutSeconds = Number(params.get("timeoutSeconds") ?? "0");
  const since = initialEvents || rvParam === "" || rvParam === "0" ? undefined : rvParam;

  let stop: (() => void) | undefined;
  let timers: ReturnType<typeof setTimeout>[] = [];
  let closed = false;
  let tableHeaderSent = false;
  let fault: { unregister: () => void; afterEvent: () => void } | undefined;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const cleanup = () => {
        if (closed) return;
        closed = true;
        stop?.();
        for (const t of timers) clearTimeout(t);
        timers = [];
        fault?.unregister();
      };
      const send = (event: WatchEvent | { type: string; object: unknown }) => {
        if (closed) return;
        controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        openWatch.events++;
        fault?.afterEvent();
      };
      const end = () => {
        if (closed) return;
        cleanup();
        controller.close();
      };
      const openWatch = {
        group: type.group,
        resource: type.resource,
        namespace: o.namespace,
        events: 0,
        drop(mode: DropMode) {
          if (mode === "reset") {
            cleanup();
            o.resetConnection();
            try {
              controller.error(new Error("watch dropped by fault injection"));
            } catch {}
          } else end();
        },
      };
      const deliver = (e: WatchEvent, previous?: KubeObject) => {
        const now = o.matches(e.object);
        const before = previous !== undefined && o.matches(previous);
        let t = e.type;
        if (e.type === "MODIFIED") {
          if (now && !before) t = "ADDED";
          else if (!now && before) t = "DELETED";
          else if (!now) return;
        } else if (!now) return;
        if (o.asTable) {
          send({ type: t, object: toTable(type, [e.object], { include: o.include, noHeaders: tableHeaderSent, resourceVersion: e.object.metadata.resourceVersion }) });
          tableHeaderSent = true;
        } else send({ type: t, object: e.object });
      };
      const bookmark = (annotations?: Record<string, string>) => {
        const metadata: Record<string, unknown> = { resourceVersion: store.resourceVersion };
        if (annotations) metadata.annotations = annotations;
        send({ type: "BOOKMARK", object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata } });
      };
      fault = o.faults.watchOpened(openWatch);
      try {
        stop = store.watch(type, o.namespace, since, deliver);
      } catch (e) {
        if (isApiStatusError(e)) {
          send({ type: "ERROR", object: e.toStatus() });
          end();
          return;
        }
        throw e;
      }
      if (initialEvents && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
      if (bookmarks && o.bookmarkIntervalMs > 0) {
        const tick = () => {
          if (closed) return;
          bookmark();
          timers.push(setTimeout(tick, o.bookmarkIntervalMs));
        };
        timers.push(setTimeout(tick, o.bookmarkIntervalMs));
      }
      if (timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
    },
    cancel() {
      // The client went away.
      closed = true;
      stop?.();
      for (const t of timers) clearTimeout(t);
      fault?.unregister();
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/json", "cache-control": "no-cache, private" } });
}
