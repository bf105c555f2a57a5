/** Flag values of upload and download that need more than a type: whole counts within a range. */

import { UsageError } from "../common/errors.ts";

export function countFlag(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) throw new UsageError(`invalid --${flag}: "${text}" must be a whole number from 1 to ${max}`);
  return Number(text);
}
