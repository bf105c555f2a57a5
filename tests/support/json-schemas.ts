/** The JSON Schemas of docs/schemas/ loaded into one validator, for tests that check real `--json` outputs. */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { ROOT } from "./cli.ts";

export const SCHEMA_DIR = join(ROOT, "docs", "schemas");

/** Command name (file name before `.schema.json`) → schema file names. */
export function schemaNames(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".schema.json"))
    .map((f) => f.slice(0, -".schema.json".length));
}

// Union types (`["object", "null"]`) are how the schemas say "null when there is none", as the outputs do.
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
for (const name of schemaNames()) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), "utf8")), name);

/** The schema's complaints about `value`, one line each; empty when it is valid. */
export function schemaErrors(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(name);
  if (validate === undefined) return [`no schema docs/schemas/${name}.schema.json`];
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
