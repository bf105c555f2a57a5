/**
 * `logtap untap` against the stand-in over mutual TLS, as the compiled binary and from the sources, with kubectl's
 * view of every object: input checks before any request, text and JSON output, one session among several, --all,
 * a workload tapped by upstream logtap, --dry-run, conflicting writers, upstream's errors, the forwarder RBAC kept
 * while something is still tapped and removed with the last.
 */

import { describe, expect, test } from "bun:test";
import { cliTargets } from "../support/cli.ts";
import { createNamespace, createRolledOut, get, logtap, sessionOf, templateText, withTapCluster, workload, type FakeReceiver, type TapCluster } from "./tap-fixtures.ts";

let c: TapCluster;
let receiver: FakeReceiver;
let namespaces = 0;
const skip = withTapCluster("the untap command tests", (cluster, r) => ((c = cluster), (receiver = r)));

async function freshNamespace(): Promise<string> {
  const ns = `untap-${++namespaces}`;
  await createNamespace(c, ns);
  return ns;
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

async function tap(ns: string, args: string[]): Promise<string> {
  const r = await logtap(c, ["tap", "-n", ns, "--target", receiver.target, "--no-wait", ...args]);
  if (r.code !== 0) throw new Error(`tap failed: ${r.stderr}`);
  return sessionOf(r.stderr);
}

describe.skipIf(skip)("input checks before any request", () => {
  const cases: [string[], string][] = [
    [["--session", "lt-0123456789abcdef", "--all"], "--session and --all are mutually exclusive"],
    [["--deployment", "web"], "specify --session or --all"],
    [["--all"], "--all requires --force to confirm bulk removal (or use --dry-run)"],
    [["--session", "lt-0123456789abcdef", "--deployment", "a", "--daemonset", "b"], "specify only one of --deployment, --statefulset, --daemonset, or --selector"],
    [["--session", "web"], 'invalid --session "web": must be lt- followed by 16 lowercase hex characters'],
    [["--session", "lt-0123456789abcdef", "--bogus"], "unknown flag: --bogus"],
  ];
  for (const target of cliTargets()) {
    test(`${target.name}: each refused with exit 2 and its message; the stand-in sees nothing`, async () => {
      const before = c.standIn.lastRequest;
      for (const [args, message] of cases) {
        const r = await logtap(c, ["untap", ...args], { target });
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `error: ${message}\n` });
      }
      expect(c.standIn.requestsSince(before)).toEqual([]);
    }, 60_000);
  }
});

describe.skipIf(skip)("untap", () => {
  for (const target of cliTargets()) {
    test(`${target.name}: one session of two taken out, then the other; the RBAC stays until the last`, async () => {
      const ns = await freshNamespace();
      await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }), workload("Deployment", ns, "api", { replicas: 1 }));
      const before = await templateText(c, "Deployment", ns, "web");
      const first = await tap(ns, ["--deployment", "web"]);
      const afterFirst = await templateText(c, "Deployment", ns, "web");
      const second = await tap(ns, ["--deployment", "web"]);
      const other = await tap(ns, ["--deployment", "api"]);

      // By session alone: every workload listing it (only web).
      const u1 = await logtap(c, ["untap", "--session", second, "-n", ns], { target });
      expect([u1.code, u1.stderr]).toEqual([0, `Untapped Deployment/web (session ${second})\n\nRemoved 1 session(s) from 1 workload(s)\n`]);
      expect(await templateText(c, "Deployment", ns, "web")).toBe(afterFirst);
      expect((await c.kubectl.json(["get", "role", "logtap-forwarder", "-n", ns])).metadata.name).toBe("logtap-forwarder");

      const u2 = await logtap(c, ["untap", "--session", first, "--deployment", "web", "-n", ns, "--json"], { target });
      expect(u2.code).toBe(0);
      expect(JSON.parse(u2.stdout)).toMatchObject({ sessions_removed: 1, rbac_removed: false, workloads: [{ workload: { kind: "Deployment", name: "web" }, removed: [{ session: first, by: "record" }], conflicts: [] }] });
      expect(await templateText(c, "Deployment", ns, "web")).toBe(before);

      const u3 = await logtap(c, ["untap", "--session", other, "-n", ns, "--json"], { target });
      expect(JSON.parse(u3.stdout)).toMatchObject({ sessions_removed: 1, rbac_removed: true });
      expect((await c.kubectl.run(["get", "role,rolebinding", "-n", ns])).stderr).toContain("No resources found");
    }, 60_000);
  }

  test("--all --force: every session of every tapped workload, in one write per workload", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }), workload("StatefulSet", ns, "db", { replicas: 1 }));
    const before = [await templateText(c, "Deployment", ns, "web"), await templateText(c, "StatefulSet", ns, "db")];
    const a = await tap(ns, ["--deployment", "web"]);
    const b = await tap(ns, ["--deployment", "web", "--sidecar-mode", "container", "--pin-images"]);
    const d = await tap(ns, ["--statefulset", "db"]);
    const since = c.standIn.lastRequest;
    const r = await logtap(c, ["untap", "--all", "--force", "-n", ns]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([
      `Untapped Deployment/web (session ${b})`,
      `Untapped Deployment/web (session ${a})`,
      `Untapped StatefulSet/db (session ${d})`,
      "Removed 3 session(s) from 2 workload(s)",
    ]);
    expect(c.standIn.requestsSince(since).filter((q) => q.method === "PUT").map((q) => q.name)).toEqual(["web", "db"]);
    expect([await templateText(c, "Deployment", ns, "web"), await templateText(c, "StatefulSet", ns, "db")]).toEqual(before);
  }, 60_000);

  test("a workload tapped by upstream logtap (no tap record) is untapped by upstream's rules", async () => {
    const ns = await freshNamespace();
    const w = workload("Deployment", ns, "legacy", { replicas: 1, annotations: { team: "shop" } });
    await createRolledOut(c, w);
    const before = await templateText(c, "Deployment", ns, "legacy");
    const session = "lt-00112233445566ff";
    const tapped = structuredClone(w);
    tapped.spec.template.metadata!.annotations = { team: "shop", "logtap.dev/tapped": session, "logtap.dev/target": "recv.example:3100" };
    tapped.spec.template.spec.containers.push({ name: `logtap-forwarder-${session}`, image: "ghcr.io/ppiankov/logtap-forwarder:latest", env: [{ name: "LOGTAP_TARGET", value: "recv.example:3100" }] });
    await createRolledOut(c, tapped);
    const r = await logtap(c, ["untap", "--session", session, "-n", ns, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0]).toMatchObject({ removed: [{ session, by: "upstream" }], containers: { removed: [{ name: `logtap-forwarder-${session}`, list: "containers" }] } });
    expect(r.stderr).toContain(`Untapped Deployment/legacy (session ${session})`);
    expect(await templateText(c, "Deployment", ns, "legacy")).toBe(before);
  }, 60_000);

  test("--dry-run: the diff, nothing written, the RBAC left alone", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const s = await tap(ns, ["--deployment", "web"]);
    const tapped = await templateText(c, "Deployment", ns, "web");
    const since = c.standIn.lastRequest;
    const r = await logtap(c, ["untap", "--all", "--dry-run", "-n", ns]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("[dry-run] Deployment/web:\n");
    expect(r.stdout.startsWith(`--- ${ns}/Deployment/web spec.template (current)\n+++ ${ns}/Deployment/web spec.template (untapped, session ${s})\n`)).toBe(true);
    expect(r.stdout).toContain(`\n-        logtap.dev/tapped: ${s}\n`);
    expect(new Set(c.standIn.requestsSince(since).map((q) => q.method))).toEqual(new Set(["GET"]));
    expect(await templateText(c, "Deployment", ns, "web")).toBe(tapped);
    const json = await logtap(c, ["untap", "--session", s, "--dry-run", "--json", "-n", ns]);
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, sessions_removed: 1, rbac_removed: false, workloads: [{ write_attempts: 0, removed: [{ session: s }] }] });
  }, 60_000);

  test("conflicting writers: read again and plan again; the other writer's change stays", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }));
    const before = await templateText(c, "Deployment", ns, "web");
    const s = await tap(ns, ["--deployment", "web"]);
    c.standIn.faults.conflictNextWrites({ group: "apps", resource: "deployments", namespace: ns, name: "web" }, 3);
    const r = await logtap(c, ["untap", "--session", s, "-n", ns, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].write_attempts).toBe(4);
    expect(await templateText(c, "Deployment", ns, "web")).toBe(before);
    expect((await get(c, "Deployment", ns, "web")).metadata.annotations["stand-in.logtap.dev/other-writer"]).toBeDefined();
  }, 60_000);

  test("upstream's errors: not tapped, session not found (exit 1), nothing tapped (exit 3), a missing workload (exit 3)", async () => {
    const ns = await freshNamespace();
    await createRolledOut(c, workload("Deployment", ns, "web", { replicas: 1 }), workload("Deployment", ns, "plain", { replicas: 1 }));
    const s = await tap(ns, ["--deployment", "web"]);
    const other = "lt-ffffffffffffffff";
    const cases: [string[], number, string][] = [
      [["--session", s, "--deployment", "plain"], 1, "error: untap Deployment/plain: workload Deployment/plain is not tapped"],
      [["--session", other, "--deployment", "web"], 1, `error: untap Deployment/web: session ${other} not found in Deployment/web (tapped: ${s})`],
      [["--session", other], 3, "error: no tapped workloads found"],
      [["--session", s, "-l", "app=plain"], 3, "error: no tapped workloads found"],
      [["--session", s, "--statefulset", "nope"], 3, 'error: get statefulset nope: statefulsets.apps "nope" not found'],
    ];
    for (const [args, code, message] of cases) {
      const r = await logtap(c, ["untap", "-n", ns, ...args]);
      expect({ args, code: r.code, last: lines(r.stderr).at(-1) }).toEqual({ args, code, last: message });
    }
    // A selector passes over its untapped matches instead of failing on them.
    const sel = await logtap(c, ["untap", "--session", s, "-l", "app in (web,plain)", "-n", ns]);
    expect([sel.code, lines(sel.stderr)[0]]).toEqual([0, `Untapped Deployment/web (session ${s})`]);
  }, 60_000);
});
