/**
 * The token that guards `--serve-capture`. It comes from the environment, never from a flag: a pod's args are shown
 * to anyone who may read the pod, and a process's argv to anyone on the machine. The in-cluster receiver gets it
 * from a Secret (src/kube/deploy/), so reading the capture takes the right to read that Secret.
 */

import { randomBytes } from "node:crypto";

export const CAPTURE_TOKEN_ENV = "LOGTAP_CAPTURE_TOKEN";
/** Shorter tokens are refused: guessable ones would make the capture readable by anyone who reaches the port. */
export const MIN_TOKEN_LENGTH = 32;

/** 32 random bytes as hex: what deploy and recv --in-cluster put in the Secret. */
export function newCaptureToken(): string {
  return randomBytes(32).toString("hex");
}

/** The token for `--serve-capture`, or why there is none. */
export function captureTokenFromEnv(env: Record<string, string | undefined>): { token: string } | { error: string } {
  const token = env[CAPTURE_TOKEN_ENV]?.trim() ?? "";
  if (token === "") return { error: `--serve-capture needs the token in ${CAPTURE_TOKEN_ENV}` };
  if (token.length < MIN_TOKEN_LENGTH) return { error: `${CAPTURE_TOKEN_ENV} is too short for --serve-capture (at least ${MIN_TOKEN_LENGTH} characters)` };
  return { token };
}
