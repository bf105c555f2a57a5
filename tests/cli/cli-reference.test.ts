import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { commandSections, REFERENCE_PATH, REGENERATE, renderReference } from "../../scripts/gen-cli-reference.ts";

/** docs/cli-reference.md is generated from the command definitions; a flag added without regenerating it fails here. */
test("docs/cli-reference.md is what the command definitions generate", async () => {
  const sections = await commandSections();
  const committed = readFileSync(REFERENCE_PATH, "utf8");
  const stale = sections.filter((s) => !committed.includes(s.text)).map((s) => s.name);
  const fresh = renderReference(sections);
  if (committed !== fresh) {
    const what = stale.length > 0 ? `commands changed: ${stale.join(", ")}` : "the header, order or a removed command changed";
    throw new Error(`docs/cli-reference.md is out of date (${what}); run \`${REGENERATE}\` and commit it`);
  }
  expect(committed).toBe(fresh);
});
