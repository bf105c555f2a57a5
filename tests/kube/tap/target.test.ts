/** `--target` (§22.3 validation 1, §26 Q17): upstream's host[:port] plus http(s)://host[:port], nothing that could inject. */

import { describe, expect, test } from "bun:test";
import { effectivePort, parseTarget, targetProblem, targetUrl } from "../../../src/kube/tap/target.ts";

const message = (t: string) =>
  `invalid --target "${t}": must be hostname, hostname:port or http(s)://hostname[:port] (alphanumeric, dots, hyphens only)`;

describe("--target", () => {
  test("upstream's rejected examples stay rejected, with upstream's message extended by the URL form", () => {
    for (const t of ["", "host port", "host;rm -rf /", "host:3100/path", "host\n", "a\nb:3100", "host:", ":3100", "host:31a0", "ftp://host", "https://host:3100/", "https://host/path", "http://", "user@host", "[::1]:3100", "host:3100 ", "$(id)"]) {
      expect(targetProblem(t), JSON.stringify(t)).toBe(message(t));
    }
  });

  test("accepted forms (Q17: https reaches the forwarder now)", () => {
    expect(parseTarget("recv.example:3100")).toEqual({ text: "recv.example:3100", scheme: null, host: "recv.example", port: 3100 });
    expect(parseTarget("recv")).toEqual({ text: "recv", scheme: null, host: "recv", port: null });
    expect(parseTarget("https://recv.example:3100")).toEqual({ text: "https://recv.example:3100", scheme: "https", host: "recv.example", port: 3100 });
    expect(parseTarget("http://10.0.0.7")).toEqual({ text: "http://10.0.0.7", scheme: "http", host: "10.0.0.7", port: null });
    expect(targetProblem("logtap-receiver.logtap.svc.cluster.local:3100")).toBeNull();
  });

  test("a port outside 1-65535 is named as such", () => {
    expect(targetProblem("recv:0")).toBe('invalid --target "recv:0": port must be between 1 and 65535');
    expect(targetProblem("https://recv:65536")).toBe('invalid --target "https://recv:65536": port must be between 1 and 65535');
    expect(targetProblem("recv:65535")).toBeNull();
  });

  test("the port a connection uses and the URL the pre-check fetches", () => {
    const t = (s: string) => parseTarget(s) as Exclude<ReturnType<typeof parseTarget>, string>;
    expect(effectivePort(t("recv"))).toBe(80);
    expect(effectivePort(t("https://recv"))).toBe(443);
    expect(effectivePort(t("https://recv:8443"))).toBe(8443);
    expect(targetUrl(t("recv:3100"))).toBe("http://recv:3100");
    expect(targetUrl(t("https://recv"))).toBe("https://recv");
  });
});
