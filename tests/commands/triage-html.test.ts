/**
 * triage's and report's HTML pages rendered by a real browser (headless Chromium): the chart and tables are there,
 * and hostile log text shows as text — no element, no script, no request comes from it.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { primaryTarget, runCli } from "../support/cli.ts";
import { requirePeer } from "../support/peer.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import type { Entry } from "../../src/model/entry.ts";
import { T0 } from "./triage-fixtures.ts";

const CHROMIUM = ["chromium", "chromium-browser", "google-chrome"].map((c) => Bun.which(c)).find((p) => p !== null) ?? null;
const noChromium = requirePeer("chromium", CHROMIUM !== null, { debian: "chromium", skipped: "the 2 HTML page tests in headless Chromium" });

const SCRIPT_LINE = `request failed <script>alert("pwned")</script> & more`;
const IMG_LABEL = `<img src=x onerror=alert(1)>`;

// --no-sandbox: the tests run as root in CI. The networking flags stop Chromium's own background requests, which a
// machine without outside network refuses, and a fresh profile keeps runs from sharing state.
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// A cold Chromium start alone takes about 5 s on a 2-core machine, bun's default limit for a whole test.
const BROWSER_TEST_MS = 90_000;

/** The DOM as Chromium built it from the file, serialised after parsing. */
function renderedDom(file: string): string {
  const profile = tempDir("logtap-chromium-");
  const r = Bun.spawnSync([CHROMIUM!, ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--dump-dom", `file://${file}`], { stderr: "pipe", timeout: 60_000 });
  rmSync(profile, { recursive: true, force: true });
  if (r.exitCode !== 0) throw new Error(`chromium failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

function hostileEntries(): Entry[] {
  const web = Object.freeze({ app: "web", pod: IMG_LABEL });
  const api = Object.freeze({ app: "api" });
  const out: Entry[] = [];
  for (let m = 0; m < 12; m++) {
    for (let k = 0; k < 5; k++) out.push({ sec: T0 + m * 60 + k, nsec: 0, labels: api, msg: `GET /ok ${k}` });
    const burst = m >= 4 && m <= 6 ? 6 : m % 3;
    for (let k = 0; k < burst; k++) {
      out.push({ sec: T0 + m * 60 + 10 + k, nsec: 0, labels: web, msg: SCRIPT_LINE });
      out.push({ sec: T0 + m * 60 + 10 + k, nsec: 1, labels: api, msg: `upstream error from web` });
    }
  }
  return out.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
}

describe.skipIf(noChromium)("HTML pages in headless Chromium", () => {
  const target = primaryTarget();
  let dir: string;
  beforeAll(async () => {
    // The directory name itself is hostile too: it is printed in headings and commands.
    dir = join(tempDir(), "cap&<i>x</i>");
    await writeOurCapture(dir, hostileEntries());
  });

  test("triage --html: self-contained page, SVG timeline with the peak marked, tables, log text escaped", async () => {
    const out = join(tempDir(), "html-out");
    const r = await runCli(["triage", dir, "--out", out, "--html", "--exit-zero"], { target });
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    // Nothing to fetch: no src/href/url() at all, and a CSP that forbids scripts and requests anyway.
    expect(html).not.toMatch(/<[^>]*\s(src|href)=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);

    const dom = renderedDom(join(out, "report.html"));
    expect(dom).toContain("<svg");
    const polylines = [...dom.matchAll(/<polyline class="(series-[a-z]+)"[^>]* points="([^"]+)"/g)];
    expect(polylines.map((m) => m[1])).toEqual(["series-total", "series-errors"]);
    expect(polylines.map((m) => m[2]!.split(" ").length)).toEqual([12, 12]);
    expect(dom).toMatch(/<rect class="peak-window"[^>]* width="[1-9]/);
    expect(dom).toContain('<table class="top-errors">');
    expect(dom).toContain('<table class="talkers">');
    expect(dom).toContain('<table class="correlations">');
    expect(dom).toContain("Total lines");
    // Hostile text is text: no element came from it, and it reads as written.
    expect(dom).not.toMatch(/<script|<img|<i>/i);
    expect(dom).toContain("request failed &lt;script&gt;alert(\"pwned\")&lt;/script&gt; &amp; more");
    expect(dom).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(dom).toContain("cap&amp;&lt;i&gt;x&lt;/i&gt;");
    expect(dom).toContain("<title>Triage Report: ");
  }, BROWSER_TEST_MS);

  test("report: report.html is one escaped document (no nested page) with the triage sections; report.json alongside", async () => {
    const out = join(tempDir(), "report-out");
    const r = await runCli(["report", dir, "--out", out], { target });
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.match(/<!DOCTYPE/gi)).toHaveLength(1);
    expect(html.match(/<html/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=|url\(/i);
    const dom = renderedDom(join(out, "report.html"));
    expect(dom).toContain("<title>logtap incident report</title>");
    expect(dom).toContain('class="card severity-high"');
    expect(dom).toContain('<table class="report-errors">');
    expect(dom).toContain('<polyline class="series-errors"');
    expect(dom).not.toMatch(/<script|<img|<i>/i);
    expect(dom).toContain("request failed &lt;script&gt;alert(\"pwned\")&lt;/script&gt; &amp; more");
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).severity).toBe("high");
  }, BROWSER_TEST_MS);
});
