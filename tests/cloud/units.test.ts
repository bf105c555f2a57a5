/** The pure parts of upload/download: URLs (upstream §19.1), key safety (§19.3), endpoint choice, the --share gates. */

import { describe, expect, test } from "bun:test";
import { resolveEndpoint } from "../../src/cloud/endpoint.ts";
import { isFolderMarker, safeRelativePath } from "../../src/cloud/key-safety.ts";
import { checkShare } from "../../src/cloud/share.ts";
import { listPrefix, objectKey, parseCloudUrl } from "../../src/cloud/url.ts";
import type { Metadata } from "../../src/capture/metadata.ts";

describe("cloud URLs", () => {
  test("scheme, bucket, prefix without surrounding slashes or whitespace", () => {
    expect(parseCloudUrl("  s3://b/a/b/ ")).toEqual({ scheme: "s3", bucket: "b", prefix: "a/b" });
    expect(parseCloudUrl("gs://b")).toEqual({ scheme: "gs", bucket: "b", prefix: "" });
    expect(() => parseCloudUrl("")).toThrow("empty URL");
    expect(() => parseCloudUrl("https://b/x")).toThrow('unsupported scheme in "https://b/x": expected s3:// or gs://');
    expect(() => parseCloudUrl("s3://")).toThrow('empty bucket in "s3://"');
    expect([objectKey("p", "a/b"), objectKey("", "a"), listPrefix("p"), listPrefix("")]).toEqual(["p/a/b", "a", "p/", ""]);
  });
});

describe("key safety", () => {
  test("plain segments below the prefix pass; everything that could leave --out is refused", () => {
    expect(safeRelativePath("p/a/b.jsonl", "p/")).toEqual(["a", "b.jsonl"]);
    expect(safeRelativePath("metadata.json", "")).toEqual(["metadata.json"]);
    for (const key of ["p/../../../etc/passwd", "p/sub/../../.ssh/authorized_keys", "p//etc/shadow", "p/../outside", "p/a\\b", "p/a\u0000b", "p/./x", "p/a/", "p/C:x", "q/x", "p/", "p/a\nb"]) {
      expect(() => safeRelativePath(key, "p/")).toThrow("unsafe object key: ");
    }
    expect([isFolderMarker("p/dir/", 0), isFolderMarker("p/dir/", 3), isFolderMarker("p/f", 0)]).toEqual([true, false, false]);
  });
});

describe("endpoints", () => {
  test("--endpoint, then LOGTAP_*, then the SDK's AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL; gs:// defaults to the XML API", () => {
    expect(resolveEndpoint("s3", undefined, {})).toEqual({ url: undefined, custom: false });
    expect(resolveEndpoint("s3", "http://m:9000/", { LOGTAP_S3_ENDPOINT: "http://x" })).toEqual({ url: "http://m:9000", custom: true });
    expect(resolveEndpoint("s3", undefined, { LOGTAP_S3_ENDPOINT: "http://x", AWS_ENDPOINT_URL: "http://y" }).url).toBe("http://x");
    expect(resolveEndpoint("s3", undefined, { AWS_ENDPOINT_URL_S3: "http://s3", AWS_ENDPOINT_URL: "http://y" }).url).toBe("http://s3");
    expect(resolveEndpoint("s3", undefined, { AWS_ENDPOINT_URL: "http://y", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }).url).toBeUndefined();
    expect(resolveEndpoint("gs", undefined, { AWS_ENDPOINT_URL: "http://y" })).toEqual({ url: "https://storage.googleapis.com", custom: true });
    expect(resolveEndpoint("gs", undefined, { LOGTAP_GCS_ENDPOINT: "http://g" }).url).toBe("http://g");
    expect(() => resolveEndpoint("s3", "minio:9000", {})).toThrow('invalid --endpoint "minio:9000": expected http(s)://host[:port]');
  });
});

describe("--share gates", () => {
  const meta = (redaction?: unknown) => ({ version: 1, redaction }) as unknown as Metadata;
  test("redaction needs an object that is not disabled; --force lets it through; expiry 1s to 168h", () => {
    expect(() => checkShare(meta(), { force: false, expiryMs: 3600_000 })).toThrow("capture not redacted — use --force to share unredacted logs");
    expect(() => checkShare(meta({ enabled: false, patterns: [] }), { force: false, expiryMs: 3600_000 })).toThrow("capture not redacted");
    expect(checkShare(meta(), { force: true, expiryMs: 3600_000 })).toEqual({ unredacted: true });
    expect(checkShare(meta({ enabled: true, patterns: ["email"] }), { force: false, expiryMs: 168 * 3600_000 })).toEqual({ unredacted: false });
    expect(() => checkShare(meta({ enabled: true }), { force: false, expiryMs: 168 * 3600_000 + 1 })).toThrow("--expiry exceeds maximum of 168h (7 days)");
    expect(() => checkShare(meta({ enabled: true }), { force: false, expiryMs: 0 })).toThrow("--expiry must be at least 1s");
  });
});
