/** `--json` and its `--format json` alias (upstream §1.5), shared by every command that has JSON output. */

export const jsonArgs = {
  json: { type: "boolean", description: "output JSON" },
  format: { type: "string", description: 'output format ("json")' },
} as const;

export function isJson(args: { json?: boolean; format?: string }): boolean {
  return args.json === true || args.format === "json";
}
