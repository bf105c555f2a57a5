/** The pure parts of check and status: Go's duration text, the missing-permission phrase, /metrics URLs and values. */

import { describe, expect, test } from "bun:test";
import { goMinutes, missingText } from "../../src/kube/check/check-text.ts";
import { metricsUrl } from "../../src/kube/receiver-probe.ts";
import { receiverStats } from "../../src/kube/status/receiver-metrics.ts";

describe("check and status, pure parts", () => {
  test("receiver pod ages as Go prints a Duration truncated to minutes", () => {
    expect([0, 59.9e9, 60e9, 61e9, 3599e9, 3600e9, 3725e9, 90000e9].map(goMinutes)).toEqual(["0s", "0s", "1m0s", "1m0s", "59m0s", "1h0m0s", "1h2m0s", "25h0m0s"]);
  });

  test("missing permissions grouped by resource, scope and condition, verbs in table order", () => {
    expect(
      missingText([
        { verb: "get", group: "apps", resource: "deployments" },
        { verb: "update", group: "apps", resource: "deployments" },
        { verb: "list", group: "", resource: "nodes", cluster: true },
        { verb: "get", group: "", resource: "pods/log" },
        { verb: "create", group: "", resource: "configmaps", when: "--forwarder fluent-bit" },
      ]),
    ).toBe("get, update apps/deployments; list /nodes (cluster-wide); get /pods/log; create /configmaps (for --forwarder fluent-bit)");
  });

  test("/metrics URLs: http unless the target names its scheme; a default port stays implicit", () => {
    expect(metricsUrl("recv.example:3100")).toBe("http://recv.example:3100/metrics");
    expect(metricsUrl("recv.example")).toBe("http://recv.example/metrics");
    expect(metricsUrl("http://recv.example:8080")).toBe("http://recv.example:8080/metrics");
    expect(metricsUrl("https://recv.example")).toBe("https://recv.example/metrics");
    // An annotation upstream's validator never wrote, tried as upstream would.
    expect(metricsUrl("recv.example:3100/x")).toBe("http://recv.example:3100/x/metrics");
  });

  test("the three values status shows, as the receiver wrote them; labelled series and other metrics ignored", () => {
    const text = [
      "# HELP logtap_logs_received_total Log entries accepted.",
      "# TYPE logtap_logs_received_total counter",
      "logtap_logs_received_total 1.5e+06",
      "logtap_logs_dropped_total 0",
      'logtap_redactions_total{pattern="email"} 3',
      "logtap_disk_usage_bytes 4096 1700000000000",
      "",
    ].join("\n");
    expect(receiverStats(text)).toEqual({ logs_received: "1.5e+06", dropped: "0", disk_used: "4096" });
    expect(receiverStats("not prometheus\n")).toEqual({});
  });
});
