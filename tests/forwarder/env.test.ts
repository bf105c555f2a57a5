/** §23.1's environment contract as the forwarder reads it (the process-level checks are in forwarder-process.test.ts). */

import { describe, expect, test } from "bun:test";
import { DEFAULT_BUFFER_SIZE, DEFAULT_RETRY_MAX, readForwarderEnv } from "../../forwarder/env.ts";

const BASE = { LOGTAP_TARGET: "recv.logtap:3100", LOGTAP_SESSION: "lt-0123456789abcdef", LOGTAP_POD_NAME: "web-0", LOGTAP_NAMESPACE: "shop" };

describe("forwarder environment", () => {
  test("the four required variables, in the table's order; empty counts as unset", () => {
    for (const name of Object.keys(BASE)) {
      expect(() => readForwarderEnv({ ...BASE, [name]: undefined })).toThrow(`required env var ${name} not set`);
      expect(() => readForwarderEnv({ ...BASE, [name]: "" })).toThrow(`required env var ${name} not set`);
    }
    expect(() => readForwarderEnv({})).toThrow("required env var LOGTAP_TARGET not set");
  });

  test("defaults", () => {
    expect(readForwarderEnv(BASE)).toEqual({
      target: "http://recv.logtap:3100",
      session: "lt-0123456789abcdef",
      podName: "web-0",
      namespace: "shop",
      bufferSize: DEFAULT_BUFFER_SIZE,
      retryMax: DEFAULT_RETRY_MAX,
      tlsSkipVerify: false,
      format: "protobuf",
      health: { hostname: "0.0.0.0", port: 9091, loopback: false },
    });
    expect([DEFAULT_BUFFER_SIZE, DEFAULT_RETRY_MAX]).toEqual([1_048_576, 10]);
  });

  test("targets: host:port gets http://, URLs are kept, also with skip-verify", () => {
    expect(readForwarderEnv({ ...BASE, LOGTAP_TARGET: "https://recv:8443" }).target).toBe("https://recv:8443");
    expect(readForwarderEnv({ ...BASE, LOGTAP_TARGET: "http://recv" }).target).toBe("http://recv");
    const skip = readForwarderEnv({ ...BASE, LOGTAP_TLS_SKIP_VERIFY: "true" });
    expect([skip.target, skip.tlsSkipVerify]).toEqual(["http://recv.logtap:3100", true]);
    expect(readForwarderEnv({ ...BASE, LOGTAP_TLS_SKIP_VERIFY: "1" }).tlsSkipVerify).toBe(true);
    for (const v of ["0", "false", "yes", "TRUE", ""]) expect(readForwarderEnv({ ...BASE, LOGTAP_TLS_SKIP_VERIFY: v }).tlsSkipVerify).toBe(false);
  });

  test("numbers as strconv.Atoi reads them; ≤ 0 means the default", () => {
    expect(readForwarderEnv({ ...BASE, LOGTAP_BUFFER_SIZE: "4096", LOGTAP_RETRY_MAX: "+3" })).toMatchObject({ bufferSize: 4096, retryMax: 3 });
    expect(readForwarderEnv({ ...BASE, LOGTAP_BUFFER_SIZE: "0", LOGTAP_RETRY_MAX: "-5" })).toMatchObject({ bufferSize: DEFAULT_BUFFER_SIZE, retryMax: DEFAULT_RETRY_MAX });
    expect(() => readForwarderEnv({ ...BASE, LOGTAP_BUFFER_SIZE: "1MB" })).toThrow('invalid LOGTAP_BUFFER_SIZE: strconv.Atoi: parsing "1MB": invalid syntax');
    expect(() => readForwarderEnv({ ...BASE, LOGTAP_RETRY_MAX: "2.5" })).toThrow('invalid LOGTAP_RETRY_MAX: strconv.Atoi: parsing "2.5": invalid syntax');
    expect(() => readForwarderEnv({ ...BASE, LOGTAP_RETRY_MAX: "99999999999999999999" })).toThrow('invalid LOGTAP_RETRY_MAX: strconv.Atoi: parsing "99999999999999999999": value out of range');
  });

  test("ours: the push format and the health server's address", () => {
    expect(readForwarderEnv({ ...BASE, LOGTAP_PUSH_FORMAT: "json" }).format).toBe("json");
    expect(() => readForwarderEnv({ ...BASE, LOGTAP_PUSH_FORMAT: "xml" })).toThrow('invalid LOGTAP_PUSH_FORMAT "xml": must be protobuf or json');
    expect(readForwarderEnv({ ...BASE, LOGTAP_HEALTH_ADDR: "127.0.0.1:0" }).health).toEqual({ hostname: "127.0.0.1", port: 0, loopback: true });
    expect(readForwarderEnv({ ...BASE, LOGTAP_HEALTH_ADDR: ":9999" }).health.port).toBe(9999);
    for (const bad of ["9091", "host:70000", "a:b"]) {
      expect(() => readForwarderEnv({ ...BASE, LOGTAP_HEALTH_ADDR: bad })).toThrow(`invalid LOGTAP_HEALTH_ADDR "${bad}": expected host:port or :port`);
    }
  });
});
