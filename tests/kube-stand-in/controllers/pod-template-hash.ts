/**
 * The pod-template hash, as the Deployment controller computes it (controller.ComputeHash): FNV-1a 32 over the
 * template, then over the collision count when there is one, printed in decimal and mapped through the API server's
 * "safe" alphabet (rand.SafeEncodeString, no vowels, no 0/1/3), so names look like the real `web-7d4f8c9b6`.
 *
 * The real controller hashes Go's in-memory struct dump; we hash the template's canonical JSON (sorted keys). The
 * property that matters is the same: identical templates hash identically (so rolling back, or untap restoring the
 * template byte for byte, finds the old ReplicaSet again), and any change gives a new hash.
 */

import { canonicalJson } from "./object-json.ts";

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  let out = "";
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

/** The hash of a pod template (with `collisionCount` mixed in as the real controller does, little-endian uint32). */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncode(String(h));
}

/** A template without the `pod-template-hash` label, for comparing a Deployment's template with a ReplicaSet's. */
export function withoutHashLabel(template: any): any {
  if (!template?.metadata?.labels || !("pod-template-hash" in template.metadata.labels)) return template;
  const copy = JSON.parse(JSON.stringify(template));
  delete copy.metadata.labels["pod-template-hash"];
  if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  return copy;
}

/** controller.EqualIgnoreHash: the templates are the same apart from the hash label. */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}

/** Random names as the API server's generateName makes them: five characters of the same safe alphabet. */
export function randomSuffix(length = 5): string {
  let out = "";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  for (const b of bytes) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}
