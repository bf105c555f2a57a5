/**
 * docs/cloud.md's recipe for when one machine is not enough, step by step: `export --partition-by` to
 * Hive-partitioned Parquet, the capture's metadata.json beside it (upload needs one; it carries the redaction
 * status --share checks), `upload` to moto, and DuckDB's `read_parquet('…/**\/*.parquet', hive_partitioning=1)`.
 * DuckDB reads the copy `download` brings back: its httpfs extension is a download of its own that these machines
 * cannot fetch, so the s3:// read itself is not run here.
 */

import { describe, expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { duck } from "../support/export-fixtures.ts";
import { tempDir } from "../support/receiver-process.ts";
import { boto, s3Env, useMoto } from "../support/s3-servers.ts";
import { makeCloudCapture } from "./cloud-fixtures.ts";

const moto = useMoto("the export → upload → DuckDB recipe test");
const { skip } = moto;

describe.skipIf(skip)("the data-lake recipe", () => {
  test("partitioned Parquet uploaded under one prefix is what DuckDB queries with hive_partitioning", async () => {
    const cap = await makeCloudCapture(join(tempDir(), "cap"));
    const lake = join(tempDir(), "lake");
    const ex = await runCli(["export", cap, "--format", "parquet", "--partition-by", "hour,app", "--out", lake]);
    expect(ex.code).toBe(0);
    copyFileSync(join(cap, "metadata.json"), join(lake, "metadata.json"));
    boto(moto.url, "s3.create_bucket(Bucket='lake')");
    const up = await runCli(["upload", lake, "--to", "s3://lake/logs/incident-42", "--endpoint", moto.url, "--json"], { env: s3Env() });
    expect(up.code).toBe(0);
    const keys = boto(moto.url, "print(json.dumps([o['Key'] for o in s3.list_objects_v2(Bucket='lake')['Contents']]))") as string[];
    expect(keys.filter((k) => k.endsWith(".parquet")).every((k) => /^logs\/incident-42\/hour=[^/]+\/app=(api|web)\/part-\d+\.parquet$/.test(k))).toBe(true);
    const back = join(tempDir(), "back");
    expect((await runCli(["download", "s3://lake/logs/incident-42", "--out", back, "--endpoint", moto.url], { env: s3Env() })).code).toBe(0);
    const rows = await duck(`SELECT app, count(*)::INTEGER AS n FROM read_parquet('${back}/**/*.parquet', hive_partitioning=1) GROUP BY app ORDER BY app`);
    expect(rows).toEqual([
      { app: "api", n: 2000 },
      { app: "web", n: 2000 },
    ]);
  });
});
