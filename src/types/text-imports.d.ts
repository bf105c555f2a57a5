/** Files imported `with { type: "text" }` (Bun embeds them as a string): SKILL.md in `logtap skill`. */
declare module "*.md" {
  const text: string;
  export default text;
}
