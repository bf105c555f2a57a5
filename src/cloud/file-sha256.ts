/** SHA-256 of a file read as a stream, so hashing one file never blocks the uploads and downloads running beside it. */

export async function fileSha256(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
