/** The pod-template hash: stable, blind to key order, sensitive to any change and to the collision count. */

import { describe, expect, test } from "bun:test";
import { podTemplateHash, templatesEqualIgnoringHash } from "./pod-template-hash.ts";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } };

describe("podTemplateHash", () => {
  test("is the same for the same template, whatever the key order, in the real controller's alphabet", () => {
    const reordered = { spec: { containers: [{ image: "nginx:1.27", name: "app" }] }, metadata: { labels: { app: "web" } } };
    expect(podTemplateHash(template)).toBe(podTemplateHash(reordered));
    expect(podTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  });

  test("changes with the template and with the collision count", () => {
    const changed = structuredClone(template);
    changed.spec.containers[0].image = "nginx:1.28";
    expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, 1)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, 0)).not.toBe(podTemplateHash(template));
  });

  test("ReplicaSet templates compare equal to the Deployment's apart from the pod-template-hash label", () => {
    const rs = structuredClone(template) as any;
    rs.metadata.labels["pod-template-hash"] = podTemplateHash(template);
    expect(templatesEqualIgnoringHash(rs, template)).toBe(true);
    rs.metadata.labels.tier = "front";
    expect(templatesEqualIgnoringHash(rs, template)).toBe(false);
  });
});
