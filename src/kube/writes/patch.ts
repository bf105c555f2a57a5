/**
 * PATCH with the content type named, never left to a default (client-node's generated code sends
 * application/json-patch+json for every patch). With `resourceVersion` the patch is conditional: the version is
 * written into the patched object, so a stale one is refused with 409 Conflict by every patch type (a JSON-patch
 * `test` would fail with 422 instead, which no caller would retry).
 */

import type { KubeTransport } from "../transport/transport.ts";
import type { KubeObject } from "../streams/watch.ts";

export type PatchType = "strategic" | "merge" | "json";

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  strategic: "application/strategic-merge-patch+json",
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

/** Recorded in managedFields as the writer of what logtap changes. */
export const FIELD_MANAGER = "logtap";

export interface WriteOptions {
  /** Server-side dry run: validated and answered, not stored. */
  dryRun?: boolean;
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

export function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: opts.fieldManager ?? FIELD_MANAGER, dryRun: opts.dryRun ? "All" : undefined };
}

export async function patchObject<T = KubeObject>(
  transport: KubeTransport,
  path: string,
  type: PatchType,
  patch: Record<string, unknown> | JsonPatchOp[],
  opts: WriteOptions & { resourceVersion?: string } = {},
): Promise<T> {
  let body: unknown = patch;
  if (opts.resourceVersion !== undefined) {
    if (type === "json") {
      body = [{ op: "replace", path: "/metadata/resourceVersion", value: opts.resourceVersion }, ...(patch as JsonPatchOp[])];
    } else {
      const p = patch as Record<string, unknown>;
      body = { ...p, metadata: { ...(p.metadata as object | undefined), resourceVersion: opts.resourceVersion } };
    }
  }
  return transport.json<T>({ method: "PATCH", path, query: writeQuery(opts), body, contentType: PATCH_CONTENT_TYPES[type], signal: opts.signal });
}
