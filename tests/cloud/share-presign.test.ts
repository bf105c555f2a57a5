/**
 * `upload --share` against s3rver, which enforces presigned-URL expiry (moto does not): every object gets a URL that
 * fetches its bytes, and an expired one is refused. Also the JSON layout of a share, and that presigned URLs for AWS
 * itself sign only the host header (so curl or a browser can fetch them as they are).
 *
 * Neither local server verifies a SigV4 *query* signature: s3rver 3.7 accepts any V4 signature ("calculation is
 * unimplemented" in its authentication.js) and moto with authentication on answers presigned URLs with 500. So the
 * signature itself is checked here by recomputing it with botocore's signer (an independent implementation).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { motoMissing, s3Env, startS3rver, type LocalServer } from "../support/s3-servers.ts";

const noBotocore = motoMissing("the botocore signature check of presigned URLs");
import { makeCloudCapture, treeDigests } from "./cloud-fixtures.ts";

/** The SigV4 query signature botocore computes for the same URL, key and time (X-Amz-Date, X-Amz-Expires). */
function botocoreSignature(url: string, secret: string): string {
  const script = `
import sys, datetime
from unittest import mock
from urllib.parse import urlsplit, parse_qs
import botocore.auth, botocore.credentials, botocore.awsrequest
u = urlsplit(sys.argv[1]); q = parse_qs(u.query)
cred = q['X-Amz-Credential'][0].split('/')
when = datetime.datetime.strptime(q['X-Amz-Date'][0], '%Y%m%dT%H%M%SZ')
own = ('X-Amz-Algorithm=', 'X-Amz-Credential=', 'X-Amz-Date=', 'X-Amz-Expires=', 'X-Amz-SignedHeaders=', 'X-Amz-Signature=')
rest = '&'.join(p for p in u.query.split('&') if not p.startswith(own))
req = botocore.awsrequest.AWSRequest(method='GET', url=f'{u.scheme}://{u.netloc}{u.path}' + (f'?{rest}' if rest else ''))
signer = botocore.auth.S3SigV4QueryAuth(botocore.credentials.Credentials(cred[0], sys.argv[2]), 's3', cred[2], expires=int(q['X-Amz-Expires'][0]))
with mock.patch('botocore.auth.get_current_datetime', return_value=when):
    signer.add_auth(req)
print(parse_qs(urlsplit(req.url).query)['X-Amz-Signature'][0])`;
  const p = Bun.spawnSync(["python3", "-c", script, url, secret], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  return p.stdout.toString().trim();
}

let s3rver: LocalServer & { keys: Record<string, string> };

beforeAll(async () => {
  s3rver = await startS3rver(["shared"]);
});
afterAll(() => s3rver?.stop());

describe("logtap upload --share (s3rver: expiry enforced; signature recomputed by botocore)", () => {
  test.skipIf(noBotocore)("a presigned URL per object fetches its bytes and carries the signature botocore computes; JSON layout", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { redacted: true });
    const before = Date.now();
    const r = await runCli(["upload", cap, "--to", "s3://shared/inc-42", "--endpoint", s3rver.url, "--share", "--expiry", "2h", "--json"], { env: s3Env(s3rver.keys) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["bytes", "destination", "expires", "files", "share_urls", "skipped"]);
    const local = treeDigests(cap);
    expect(Object.keys(out.share_urls)).toEqual(Object.keys(local).map((f) => `inc-42/${f}`).sort());
    expect(Date.parse(out.expires)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 2 * 3600_000);
    expect(out.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const [key, url] of Object.entries(out.share_urls as Record<string, string>)) {
      const res = await fetch(url);
      expect({ key, status: res.status }).toEqual({ key, status: 200 });
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(cap, key.slice("inc-42/".length)))));
    }
    const meta = out.share_urls["inc-42/metadata.json"] as string;
    expect(botocoreSignature(meta, s3rver.keys.AWS_SECRET_ACCESS_KEY!)).toBe(new URL(meta).searchParams.get("X-Amz-Signature")!);
  });

  test("an expired URL is refused", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { redacted: true });
    const r = await runCli(["upload", cap, "--to", "s3://shared/short", "--endpoint", s3rver.url, "--share", "--expiry", "1s", "--json"], { env: s3Env(s3rver.keys) });
    expect(r.code).toBe(0);
    const url = JSON.parse(r.stdout).share_urls["short/metadata.json"] as string;
    await Bun.sleep(2100);
    expect((await fetch(url)).status).toBe(403);
  });
});

describe("presigned URLs for AWS itself", () => {
  test("sign the host header only, with the SDK's default checksum settings", async () => {
    const { createCloudClient } = await import("../../src/cloud/client.ts");
    const { presignAll } = await import("../../src/cloud/share.ts");
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDPRESIGN", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "eu-central-1" });
    try {
      const client = await createCloudClient({ scheme: "s3", bucket: "logtap-presign-test", prefix: "p" }, { env: { ...process.env, AWS_ENDPOINT_URL: "", LOGTAP_S3_ENDPOINT: "" } });
      // Listing needs a server; the URL for one key is what presignAll makes for each.
      client.s3.send = (async () => ({ Contents: [{ Key: "p/metadata.json", Size: 1 }], IsTruncated: false })) as never;
      const urls = await presignAll(client, 3600_000);
      const u = new URL(urls["p/metadata.json"]!);
      expect(u.host).toBe("logtap-presign-test.s3.eu-central-1.amazonaws.com");
      expect(u.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
      expect(u.searchParams.get("X-Amz-Expires")).toBe("3600");
      // The SDK asks AWS for response checksums in the query (not a header the fetcher would have to send).
      expect([...u.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual(["x-amz-checksum-mode"]);
    } finally {
      process.env = saved;
    }
  });
});
