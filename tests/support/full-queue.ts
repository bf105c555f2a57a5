/**
 * A genuinely full ingest queue in the real receiver. The pipeline normally drains faster than loopback pushes
 * arrive, so the receiver runs with a slow writer: `--max-file 1` gives every line its own data file (a frame
 * compressed on Bun's thread pool, a rotation, an index and an audit line), some thousands of lines a second. Pushes
 * of FILL entries saturate the stages behind the queue, each batch taking a few hundred milliseconds to write, so
 * the queue stays in a given state long enough to push into it.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dataFiles } from "./capture-files.ts";
import { lokiProtobuf, push } from "./loki-bodies.ts";
import type { RunningReceiver } from "./receiver-process.ts";

export const SLOW_WRITER = ["--max-file", "1"];

export const FILL = 1000;

export const PROTOBUF = { "content-type": "application/x-protobuf" };

/** `n` entries of one stream whose messages are `<tag> <i>`. */
export function tagged(tag: string, n: number): Uint8Array {
  return lokiProtobuf([{ labels: { app: "queue" }, values: Array.from({ length: n }, (_, i) => [`${1700000000000000000 + i}`, `${tag} ${i}`] as [string, string]) }]);
}

/** Polls `/ready` until it answers `status` (503: the queue is at or over --buffer). */
export async function waitForReady(rx: RunningReceiver, status: 200 | 503, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${rx.url}/ready`)).status !== status) {
    if (Date.now() > deadline) throw new Error(`/ready never answered ${status}`);
    await Bun.sleep(2);
  }
}

/** Polls `/metrics` until `logtap_writer_queue_length` is `n`. */
export async function waitForQueueLength(rx: RunningReceiver, n: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await rx.metrics()).logtap_writer_queue_length !== n) {
    if (Date.now() > deadline) throw new Error(`the queue never held ${n} entries`);
    await Bun.sleep(2);
  }
}

/**
 * Sends pushes of FILL entries (more than --buffer: each is taken whole, the queue being empty) until `/ready`
 * answers 503, i.e. the stages behind the queue are busy and the last push waits in it. Returns the tags sent.
 */
export async function fillQueue(rx: RunningReceiver, tag = "fill", maxPushes = 50): Promise<string[]> {
  const tags: string[] = [];
  for (let i = 0; i < maxPushes; i++) {
    tags.push(`${tag}${i}`);
    const res = await push(rx.url, tagged(tags.at(-1)!, FILL), PROTOBUF);
    if (res.status !== 204) throw new Error(`fill push answered ${res.status} ${res.text}`);
    if ((await fetch(`${rx.url}/ready`)).status === 503) return tags;
  }
  throw new Error(`the queue never filled after ${maxPushes} pushes of ${FILL}`);
}

/**
 * Every line of a compressed capture, read back by the `zstd` CLI in one run: a slow-writer capture has a data file
 * per line, too many to decode one process each.
 */
export function capturedLines(dir: string): string[] {
  const files = dataFiles(dir);
  const input = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
  const r = Bun.spawnSync(["zstd", "-dcq"], { stdin: input });
  if (r.exitCode !== 0) throw new Error(`zstd -dc failed: ${r.stderr.toString()}`);
  return r.stdout.toString().split("\n").filter((l) => l !== "");
}

/** For each tag, the indices of its entries on disk, sorted. */
export function capturedByTag(dir: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of capturedLines(dir)) {
    const [tag, i] = (JSON.parse(line) as { msg: string }).msg.split(" ");
    let list = out.get(tag!);
    if (!list) out.set(tag!, (list = []));
    list.push(Number(i));
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
