/** Session ids (§22.2): `lt-` + 16 lowercase hex characters from 8 random bytes; one id per tap run. */

export const SESSION_ID_PATTERN = /^lt-[0-9a-f]{16}$/;

/**
 * A new session id. `fill` is the randomness source (tests pass a seeded one).
 * @example newSessionId() // "lt-9f2c4d1e8a7b6c50"
 */
export function newSessionId(fill: (bytes: Uint8Array) => void = (b) => void crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(8);
  fill(bytes);
  return "lt-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function isSessionId(s: string): boolean {
  return SESSION_ID_PATTERN.test(s);
}
