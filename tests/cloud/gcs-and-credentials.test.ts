/**
 * gs:// through the XML API, pointed at moto with --endpoint behind a recording proxy: HMAC keys sign with SigV4
 * (region "auto"), an OAuth token goes as a bearer token, and no request carries the SDK's default checksum headers
 * or aws-chunked bodies. Then the AWS credential chain inside the compiled binary (where the SDK must have been
 * bundled with its Node credential providers): a profile in a shared credentials file, a credential_process in a
 * shared config file, and web identity (IRSA) exchanged at moto's STS.
 */

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { checksumHeaders, s3Env, startRecordingProxy, useMoto } from "../support/s3-servers.ts";
import { makeCloudCapture, treeDigests } from "./cloud-fixtures.ts";

const moto = useMoto("the gs:// and credential-chain tests against moto_server", "cred");
const { skip, newBucket } = moto;

/** Nothing from the test machine's own AWS or Google set-up, and no region: the profile test takes its own. */
const { AWS_REGION: _region, ...noKeys } = s3Env();
const NO_CLOUD_ENV = { ...noKeys, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", GOOGLE_HMAC_ACCESS_KEY_ID: "", GOOGLE_HMAC_SECRET: "", GOOGLE_OAUTH_ACCESS_TOKEN: "", CLOUDSDK_CONFIG: tempDir() };

describe.skipIf(skip)("gs:// (moto_server as the XML API)", () => {
  test("HMAC key: upload (with a multipart file) and download, SigV4 for region auto, no checksum headers", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { big: true });
    const proxy = startRecordingProxy(moto.url);
    try {
      const env = { ...NO_CLOUD_ENV, GOOGLE_HMAC_ACCESS_KEY_ID: "GOOGHMACTEST", GOOGLE_HMAC_SECRET: "hmac-secret" };
      const up = await runCli(["upload", cap, "--to", `gs://${bucket}/g`, "--endpoint", proxy.url], { env });
      expect(up.code).toBe(0);
      const out = join(tempDir(), "dl");
      const down = await runCli(["download", `gs://${bucket}/g`, "--out", out, "--endpoint", proxy.url], { env });
      expect(down.code).toBe(0);
      expect(treeDigests(out)).toEqual(treeDigests(cap));
      expect(proxy.requests.some((q) => q.query.includes("uploadId"))).toBe(true);
      for (const q of proxy.requests) expect(q.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=GOOGHMACTEST\/\d{8}\/auto\/s3\/aws4_request/);
      expect(checksumHeaders(proxy.requests)).toEqual([]);
    } finally {
      proxy.stop();
    }
  });

  test("OAuth access token: sent as a bearer token instead of a signature; --share refused (a token cannot sign URLs)", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { redacted: true });
    const proxy = startRecordingProxy(moto.url);
    try {
      const env = { ...NO_CLOUD_ENV, GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.test-token" };
      const up = await runCli(["upload", cap, "--to", `gs://${bucket}/t`, "--endpoint", proxy.url], { env });
      expect(up.code).toBe(0);
      expect(proxy.requests.length).toBeGreaterThan(0);
      for (const q of proxy.requests) expect(`${q.headers.authorization} date:${q.headers["x-amz-date"] ?? "none"}`).toBe("Bearer ya29.test-token date:none");
      expect(checksumHeaders(proxy.requests)).toEqual([]);
      const share = await runCli(["upload", cap, "--to", `gs://${bucket}/t`, "--endpoint", proxy.url, "--share"], { env });
      expect(share.code).toBe(2);
      expect(share.stderr).toContain("error: --share on gs:// needs an HMAC key");
    } finally {
      proxy.stop();
    }
  });

  test("without a token in the environment, `gcloud auth print-access-token` gives one", async () => {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const bin = tempDir();
    writeFileSync(join(bin, "gcloud"), `#!/bin/sh\n[ "$*" = "auth print-access-token" ] && echo ya29.from-gcloud\n`, { mode: 0o755 });
    const proxy = startRecordingProxy(moto.url);
    try {
      const r = await runCli(["upload", cap, "--to", `gs://${bucket}/t`, "--endpoint", proxy.url], { env: { ...NO_CLOUD_ENV, PATH: `${bin}:${process.env.PATH}` } });
      expect(r.code).toBe(0);
      expect(new Set(proxy.requests.map((q) => q.headers.authorization))).toEqual(new Set(["Bearer ya29.from-gcloud"]));
    } finally {
      proxy.stop();
    }
  });

  test("no Google credentials at all: exit 4 naming what to set", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const r = await runCli(["upload", cap, "--to", "gs://b/x", "--endpoint", moto.url], { env: NO_CLOUD_ENV });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("error: no credentials for gs://: set GOOGLE_HMAC_ACCESS_KEY_ID and GOOGLE_HMAC_SECRET (an HMAC key), or GOOGLE_OAUTH_ACCESS_TOKEN, or sign in with gcloud\n");
  });
});

describe.skipIf(skip).each(cliTargets().map((t) => [t.name, t] as const))("the AWS credential chain (%s)", (_n, target) => {
  async function uploadWith(env: Record<string, string>): Promise<{ code: number; stderr: string; auth: string[] }> {
    const bucket = newBucket();
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const proxy = startRecordingProxy(moto.url);
    try {
      const r = await runCli(["upload", cap, "--to", `s3://${bucket}/c`, "--endpoint", proxy.url], { target, env: { ...NO_CLOUD_ENV, ...env } });
      return { code: r.code, stderr: r.stderr, auth: [...new Set(proxy.requests.map((q) => `${q.headers.authorization?.split(",")[0]} ${q.headers["x-amz-security-token"] ? "token" : ""}`))] };
    } finally {
      proxy.stop();
    }
  }

  test("a profile from a shared credentials file (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, AWS_PROFILE)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "credentials"), "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[team]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = s\n");
    writeFileSync(join(dir, "config"), "[profile team]\nregion = eu-west-1\n");
    const r = await uploadWith({ AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_PROFILE: "team" });
    expect(r.stderr).toStartWith("Uploaded ");
    expect(r.code).toBe(0);
    expect(r.auth).toEqual([expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDFROMPROFILE\/\d{8}\/eu-west-1\/s3\/aws4_request $/)]);
  });

  test("credential_process in a shared config file", async () => {
    const dir = tempDir();
    const helper = join(dir, "creds.sh");
    writeFileSync(helper, `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"AKIDFROMPROCESS","SecretAccessKey":"p","SessionToken":"tok"}'\n`, { mode: 0o755 });
    writeFileSync(join(dir, "config"), `[profile proc]\nregion = us-east-1\ncredential_process = ${helper}\n`);
    const r = await uploadWith({ AWS_CONFIG_FILE: join(dir, "config"), AWS_PROFILE: "proc" });
    expect(r.code).toBe(0);
    expect(r.auth).toEqual([expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDFROMPROCESS\/.* token$/)]);
  });

  test("web identity (IRSA): AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN exchanged at STS (AssumeRoleWithWebIdentity)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "token"), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bG9ndGFwIn0.\n");
    const r = await uploadWith({
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, "token"),
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/logtap-upload",
      AWS_ROLE_SESSION_NAME: "logtap-test",
      AWS_ENDPOINT_URL_STS: moto.url,
    });
    expect(r.code).toBe(0);
    // moto's STS hands out temporary keys starting ASIA, with a session token.
    expect(r.auth).toEqual([expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=ASIA\w+\/.* token$/)]);
  });
});
