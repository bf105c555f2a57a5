/**
 * Every `--json` output of the real binary against its schema in docs/schemas/ (hand-written, so a change that
 * breaks an agent's parser fails here), and a schema for every command that has `--json`.
 * Kubernetes commands run against the stand-in cluster, cloud commands against moto_server.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/command-registry.ts";
import { runCli, type RunResult } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { makeEntries } from "../support/entries.ts";
import { schemaErrors, schemaNames } from "../support/json-schemas.ts";
import { createNamespace, createRolledOut, logtap, withTapCluster, workload, type FakeReceiver, type TapCluster } from "../commands/tap-fixtures.ts";
import { boto, s3Env, useMoto } from "../support/s3-servers.ts";
import { makeCloudCapture } from "../cloud/cloud-fixtures.ts";

/** The output's documents: one for most commands, one per line for the JSON-lines ones (watch, grep). */
function documents(stdout: string, lines: boolean): unknown[] {
  return lines ? stdout.trim().split("\n").map((l) => JSON.parse(l)) : [JSON.parse(stdout)];
}

function expectValid(schema: string, r: RunResult, o: { lines?: boolean; codes?: number[] } = {}): void {
  if (!(o.codes ?? [0]).includes(r.code)) throw new Error(`${schema}: exit ${r.code}: ${r.stderr}`);
  const docs = documents(r.stdout, o.lines === true);
  expect(docs.length).toBeGreaterThan(0);
  for (const d of docs) expect({ schema, errors: schemaErrors(schema, d) }).toEqual({ schema, errors: [] });
}

test("every command with a --json flag (and grep's JSON lines) has a schema, and every schema a command", async () => {
  const withJson: string[] = ["grep"];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const def = await entry.load();
    const args = ((typeof def.args === "function" ? await def.args() : await def.args) ?? {}) as Record<string, unknown>;
    if ("json" in args) withJson.push(name);
  }
  const schemas = schemaNames().filter((n) => n !== "error");
  expect({ missing: withJson.filter((c) => !schemas.includes(c)) }).toEqual({ missing: [] });
  expect({ orphaned: schemas.filter((s) => !withJson.includes(s)) }).toEqual({ orphaned: [] });
});

describe("capture commands", () => {
  let root: string;
  let cap: string;
  /** A second capture, outside root: merge takes two different ones. */
  let other: string;
  beforeAll(async () => {
    root = tempDir();
    cap = join(root, "cap");
    const entries = makeEntries(300);
    // Error lines from two services, so triage, report and patterns have errors, talkers and windows to show.
    for (let i = 0; i < entries.length; i += 7) entries[i] = { ...entries[i]!, msg: `ERROR connection to db-${i % 3} refused after ${i}ms` };
    await writeOurCapture(cap, entries);
    other = join(tempDir(), "cap");
    await writeOurCapture(other, makeEntries(20));
  });
  const home = () => ({ env: { HOME: tempDir() } });

  // [test name, schema, arguments, options]
  const cases: Array<[string, string, () => string[], { lines?: boolean; codes?: number[] }?]> = [
    ["version", "version", () => ["version", "--json"]],
    ["init", "init", () => ["init", "--json"]],
    ["inspect", "inspect", () => ["inspect", cap, "--json"]],
    ["catalog", "catalog", () => ["catalog", root, "--json"]],
    ["gc --max-age --dry-run", "gc", () => ["gc", root, "--max-age", "1s", "--dry-run", "--json"]],
    ["sign", "sign", () => ["sign", cap, "--json"]],
    ["slice", "slice", () => ["slice", cap, "-o", join(tempDir(), "s"), "--json"]],
    ["merge", "merge", () => ["merge", cap, other, "-o", join(tempDir(), "m"), "--json"]],
    ["export --format --out", "export", () => ["export", cap, "--format", "jsonl", "--out", join(tempDir(), "x.jsonl"), "--json"]],
    ["export --partition-by", "export", () => ["export", cap, "--format", "parquet", "--partition-by", "hour,app", "--out", join(tempDir(), "p"), "--json"]],
    ["diff", "diff", () => ["diff", cap, cap, "--json"]],
    ["diff --baseline", "diff", () => ["diff", cap, "--baseline", cap, "--json"]],
    ["triage", "triage", () => ["triage", cap, "--json"], { codes: [6] }],
    ["report", "report", () => ["report", cap, "--json"]],
    ["patterns", "patterns", () => ["patterns", cap, "--json"]],
    ["watch", "watch", () => ["watch", cap, "--json"], { lines: true }],
    ["grep", "grep", () => ["grep", "ERROR", cap], { lines: true }],
    ["open --inject --inject-out", "open", () => ["open", cap, "--inject", "error-spike", "--inject-out", join(tempDir(), "i"), "--json"]],
  ];
  for (const [name, schema, args, o] of cases) {
    test(name, async () => {
      expectValid(schema, await runCli(args(), home()), o);
    });
  }

  test("sign --verify", async () => {
    await runCli(["sign", cap]);
    expectValid("sign", await runCli(["sign", cap, "--verify", "--json"]));
  });

  test("snapshot pack and extract", async () => {
    const archive = join(tempDir(), "x.tar.zst");
    expectValid("snapshot", await runCli(["snapshot", cap, "-o", archive, "--json"]));
    expectValid("snapshot", await runCli(["snapshot", archive, "--extract", "-o", join(tempDir(), "x"), "--json"]));
  });

  test("recv --duration: the summary line", async () => {
    expectValid("recv", await runCli(["recv", "--dir", join(tempDir(), "r"), "--listen", "127.0.0.1:0", "--duration", "1s", "--json"], home()));
  });

  test("errors on stderr: one JSON line with the exit code, for usage, not-found and findings errors", async () => {
    for (const [args, code] of [[["inspect", "/nonexistent", "--json"], 3], [["inspect", cap, "--bogus", "--json"], 2], [["triage", cap, "--json"], 6]] as const) {
      const r = await runCli([...args]);
      expect(r.code).toBe(code);
      const err = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
      expect({ args, errors: schemaErrors("error", err), exit: err.exit_code }).toEqual({ args, errors: [], exit: code });
    }
  });
});

describe("Kubernetes commands (stand-in cluster)", () => {
  let c: TapCluster;
  let receiver: FakeReceiver;
  const skip = withTapCluster("the Kubernetes --json schema tests", (cluster, r) => ((c = cluster), (receiver = r)));

  test.skipIf(skip)("check, status, tap (--dry-run and real), untap", async () => {
    const ns = "schemas";
    await createNamespace(c, ns);
    expectValid("status", await logtap(c, ["status", "-n", ns, "--json"]));
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    expectValid("check", await logtap(c, ["check", "-n", ns, "--json"]), { codes: [0, 6] });
    expectValid("tap", await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--dry-run", "--json"]));
    const tapped = await logtap(c, ["tap", "--deployment", "web", "-n", ns, "--target", receiver.target, "--no-wait", "--json"]);
    expectValid("tap", tapped);
    expectValid("status", await logtap(c, ["status", "-n", ns, "--json"]));
    expectValid("check", await logtap(c, ["check", "-n", ns, "--json"]), { codes: [0, 6] });
    expectValid("untap", await logtap(c, ["untap", "--session", JSON.parse(tapped.stdout).session, "-n", ns, "--dry-run", "--json"]));
    expectValid("untap", await logtap(c, ["untap", "--session", JSON.parse(tapped.stdout).session, "-n", ns, "--json"]));
  }, 120_000);
});

describe("cloud commands (moto_server)", () => {
  const moto = useMoto("the cloud --json schema tests");
  const { skip } = moto;

  test.skipIf(skip)("upload, upload --share, download", async () => {
    boto(moto.url, "s3.create_bucket(Bucket='schemas')");
    const cap = await makeCloudCapture(join(tempDir(), "cap"), { redacted: true });
    const env = { env: s3Env() };
    expectValid("upload", await runCli(["upload", cap, "--to", "s3://schemas/a", "--endpoint", moto.url, "--json"], env));
    expectValid("upload", await runCli(["upload", cap, "--to", "s3://schemas/b", "--endpoint", moto.url, "--share", "--json"], env));
    expectValid("download", await runCli(["download", "s3://schemas/a", "--out", join(tempDir(), "d"), "--endpoint", moto.url, "--json"], env));
  }, 120_000);
});

/** The schemas must reject what would break a parser: a missing stable key, a wrong type, an unknown variant. */
test("the schemas reject outputs missing a required key or with a wrong type", () => {
  const bad: Array<[string, unknown]> = [
    ["error", { exit_code: 3, error: "not_found", message: "x" }],
    ["error", { exit_code: 3, error: "not_found", message: "x", recoverable: "no" }],
    ["version", { version: "0.1.0", commit: "abc", date: "d" }],
    ["slice", { bytes: "1", entries: 1, files: 1, output: "o", source: "s" }],
    ["snapshot", { operation: "unpack", output: "o", source: "s" }],
    ["sign", { dir: "d", root_hash: "r" }],
    ["diff", { baseline: "a", current: "b", error_rate_change: "+0%", volume_change: "+0%", verdict: "worse", confidence: 1 }],
    ["status", {}],
    ["upload", { bytes: 1, destination: "s3://b/p", files: 1, skipped: 0 }],
  ];
  for (const [schema, doc] of bad) expect({ schema, doc, rejected: schemaErrors(schema, doc).length > 0 }).toEqual({ schema, doc, rejected: true });
  // A new optional key is not a break.
  expect(schemaErrors("slice", { bytes: 1, entries: 1, files: 1, output: "o", source: "s", future_key: true })).toEqual([]);
});
