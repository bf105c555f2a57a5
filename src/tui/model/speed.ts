/** Replay speed steps (upstream §5.3): `]` faster, `[` slower. 0 means "instant" (no pacing). */

/** instant stays instant; below 1× goes to 1×; else doubles. */
export function fasterSpeed(speed: number): number {
  if (speed === 0) return 0;
  if (speed < 1) return 1;
  return speed * 2;
}

/** instant → 64×; at or below 1× halves (no lower bound); above 1× halves but not below 1×. */
export function slowerSpeed(speed: number): number {
  if (speed === 0) return 64;
  if (speed <= 1) return speed / 2;
  return Math.max(1, speed / 2);
}
