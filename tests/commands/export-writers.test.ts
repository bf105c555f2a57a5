import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import { ExportFileSink } from "../../pipeline/sinks/export-file-sink.ts";
import { SingleFileTarget } from "../../src/export/export-target.ts";
import { PartitionedTarget } from "../../src/export/partitioned-target.ts";
import { classify } from "../../src/common/errors.ts";
import { csvField, flattenLabels } from "../../src/export/csv-record.ts";
import { exportJsonLine } from "../../src/export/jsonl-line.ts";
import { escapeHivePathPart, parsePartitionBy, PartitionPaths } from "../../src/export/partition-spec.ts";
import { TextFileWriter } from "../../src/export/row-file-writer.ts";
import { compareUtf8, sortedKeys } from "../../src/export/sorted-keys.ts";
import { tempDir } from "../support/receiver-process.ts";
import { duck, filesUnder } from "../support/export-fixtures.ts";

const T0 = Date.parse("2024-01-15T10:00:00Z") / 1000;

function entries(n: number, app: (i: number) => string, msg = (i: number) => `m${i}`): Entry[] {
  return Array.from({ length: n }, (_, i) => ({ sec: T0 + i, nsec: 0, labels: { app: app(i) }, msg: msg(i) }));
}

async function feed(sink: WritableStream<CaptureBatch>, list: Entry[], batch = 7): Promise<void> {
  const w = sink.getWriter();
  for (let i = 0; i < list.length; i += batch) await w.write({ entries: list.slice(i, i + batch), file: "f" });
  await w.close();
}

describe("export formats", () => {
  test("CSV fields follow Go's encoding/csv quoting rules", () => {
    expect(csvField("")).toBe("");
    expect(csvField("plain text")).toBe("plain text");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
    expect(csvField("\\.")).toBe('"\\."');
    expect(csvField("\\.x")).toBe("\\.x");
    expect(csvField(" lead")).toBe('" lead"');
    expect(csvField("\u00a0nbsp")).toBe('"\u00a0nbsp"');
    expect(csvField("\u3000ideographic")).toBe('"\u3000ideographic"');
    // U+FEFF is whitespace to JS's \s but not to Go's unicode.IsSpace.
    expect(csvField("\ufeffbom")).toBe("\ufeffbom");
    expect(csvField("trail ")).toBe("trail ");
    expect(flattenLabels({ z: "1", a: "x=y", m: "a;b" })).toBe("a=x=y;m=a;b;z=1");
    expect(flattenLabels({})).toBe("");
  });

  test("JSONL lines: no HTML escaping, U+2028/2029 escaped, lone surrogates become U+FFFD, keys sorted", () => {
    const e: Entry = { sec: 0, nsec: 10, labels: { b: "2", a: "<1>" }, msg: "x\u2029y\ud800z&", meta: { k: "v" } };
    expect(exportJsonLine(e)).toBe('{"ts":"1970-01-01T00:00:00.00000001Z","labels":{"a":"<1>","b":"2"},"msg":"x\\u2029y\ufffdz&","meta":{"k":"v"}}\n');
  });

  test("label keys are ordered by UTF-8 bytes, like Go", () => {
    expect(sortedKeys({ b: "", a: "", B: "" })).toEqual(["B", "a", "b"]);
    // U+FF5E is below U+1F600 as a code point, but above its surrogates as UTF-16.
    expect(["\u{1F600}", "\uFF5E"].sort(compareUtf8)).toEqual(["\uFF5E", "\u{1F600}"]);
  });
});

describe("partition paths", () => {
  test("Hive escaping of keys and values; missing or empty label is the default partition", () => {
    expect(escapeHivePathPart("a/b=c%d:e")).toBe("a%2Fb%3Dc%25d%3Ae");
    // Hive's own list escapes `{` but not `}`; matching it keeps paths identical to what Hive and Spark write.
    expect(escapeHivePathPart("tab\there\u0001#?*[]{}^\\'\"\x7f")).toBe("tab%09here%01%23%3F%2A%5B%5D%7B}%5E%5C%27%22%7F");
    expect(escapeHivePathPart("café ok-_.~")).toBe("café ok-_.~");
    const paths = new PartitionPaths(parsePartitionBy("app,hour"));
    expect(paths.pathOf({ sec: T0 + 3599, nsec: 0, labels: { app: "a/b" }, msg: "" })).toBe("app=a%2Fb/hour=2024-01-15T10");
    expect(paths.pathOf({ sec: T0 + 3600, nsec: 0, labels: { app: "" }, msg: "" })).toBe("app=__HIVE_DEFAULT_PARTITION__/hour=2024-01-15T11");
    expect(paths.pathOf({ sec: T0, nsec: 0, labels: {}, msg: "" })).toBe("app=__HIVE_DEFAULT_PARTITION__/hour=2024-01-15T10");
  });

  test("--partition-by rejects empty names, duplicates and data column names", () => {
    for (const bad of ["", "hour,", "app,,hour", "hour,hour", "msg", "labels", "meta"]) expect(() => parsePartitionBy(bad)).toThrow(/invalid --partition-by/);
    expect(parsePartitionBy(" hour , app ")).toEqual([
      { kind: "hour", name: "hour" },
      { kind: "label", name: "app" },
    ]);
  });
});

describe("partitioned writer limits", () => {
  test("Parquet: with more partitions than open files, a reopened partition gets its next part file; nothing is lost", async () => {
    const out = join(tempDir(), "parts");
    const list = entries(300, (i) => `app${i % 5}`);
    const sink = new ExportFileSink(new PartitionedTarget("parquet", out, parsePartitionBy("app"), { maxOpen: 2 }));
    await feed(sink, list, 1);
    expect(sink.result).toMatchObject({ rows: 300, partitions: 5 });
    const files = filesUnder(out);
    expect(files.filter((f) => f.startsWith("app=app0/")).length).toBeGreaterThan(1);
    expect(sink.result!.files).toBe(files.length);
    const rows = await duck("SELECT app, count(*)::INTEGER AS n, count(DISTINCT msg)::INTEGER AS d FROM read_parquet(? || '/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1", [out]);
    expect(rows).toEqual([0, 1, 2, 3, 4].map((k) => ({ app: `app${k}`, n: 60, d: 60 })));
  });

  test("JSONL: a reopened partition is appended to (one file per partition, rows in order)", async () => {
    const out = join(tempDir(), "parts");
    const list = entries(100, (i) => `app${i % 3}`);
    const sink = new ExportFileSink(new PartitionedTarget("jsonl", out, parsePartitionBy("app"), { maxOpen: 1 }));
    await feed(sink, list, 1);
    expect(filesUnder(out)).toEqual(["app=app0/part-0.jsonl", "app=app1/part-0.jsonl", "app=app2/part-0.jsonl"]);
    const app1 = readFileSync(join(out, "app=app1/part-0.jsonl"), "utf8");
    expect(app1).toBe(list.filter((e) => e.labels.app === "app1").map(exportJsonLine).join(""));
    expect(sink.result!.bytes).toBe(filesUnder(out).reduce((n, f) => n + readFileSync(join(out, f)).length, 0));
  });

  test("CSV: an appended partition file has one header", async () => {
    const out = join(tempDir(), "parts");
    const sink = new ExportFileSink(new PartitionedTarget("csv", out, parsePartitionBy("app"), { maxOpen: 1 }));
    await feed(sink, entries(10, (i) => `a${i % 2}`), 1);
    const text = readFileSync(join(out, "app=a0/part-0.csv"), "utf8");
    expect(text.match(/ts,labels,msg/g)!.length).toBe(1);
    expect(text.trim().split("\n").length).toBe(6);
  });

  test("buffered Parquet rows across open partitions stay under the budget: row groups are flushed early", async () => {
    const out = join(tempDir(), "parts");
    const big = "x".repeat(2000);
    const sink = new ExportFileSink(new PartitionedTarget("parquet", out, parsePartitionBy("app"), { maxBufferedBytes: 256 << 10 }));
    await feed(sink, entries(2000, (i) => `app${i % 4}`, () => big), 50);
    const groups = await duck(
      "SELECT count(*)::INTEGER AS g FROM parquet_metadata(? || '/**/*.parquet') WHERE path_in_schema = 'msg'",
      [out],
    );
    expect(groups[0]!.g as number).toBeGreaterThan(4 * 2);
    const n = await duck("SELECT count(*)::INTEGER AS n FROM read_parquet(? || '/**/*.parquet')", [out]);
    expect(n).toEqual([{ n: 2000 }]);
  });
});

describe("export sinks on failure", () => {
  test("an aborted sink leaves neither the output nor its temporary file", async () => {
    const dir = tempDir();
    for (const sink of [new ExportFileSink(new SingleFileTarget("parquet", join(dir, "a.parquet"))), new ExportFileSink(new PartitionedTarget("jsonl", join(dir, "p"), parsePartitionBy("hour")))]) {
      const w = sink.getWriter();
      await w.write({ entries: entries(10, () => "x"), file: "f" });
      await w.abort(new Error("stop"));
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a pipeline error upstream aborts the sink: no output", async () => {
    const dir = tempDir();
    const out = join(dir, "a.jsonl");
    const source = new ReadableStream<CaptureBatch>({
      start(c) {
        c.enqueue({ entries: entries(5, () => "x"), file: "f" });
      },
      pull(c) {
        c.error(new Error("read failed"));
      },
    });
    await expect(source.pipeTo(new ExportFileSink(new SingleFileTarget("jsonl", out)))).rejects.toThrow("read failed");
    expect(readdirSync(dir)).toEqual([]);
  });

  test.skipIf(!existsSync("/dev/full"))("a full disk is an internal error (exit 1) carrying the OS message", () => {
    const w = new TextFileWriter("/dev/full", (e) => e.msg + "\n");
    w.add(entries(10, () => "x"));
    let err: unknown;
    try {
      w.close();
    } catch (e) {
      err = e;
    }
    expect(classify(err)).toEqual({ code: 1, type: "internal", message: "ENOSPC: no space left on device, write" });
  });
});
