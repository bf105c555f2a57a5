/** Go sorts names byte-wise (UTF-8); JS compares UTF-16 units, which differs above U+FFFF. Manifests must match. */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
