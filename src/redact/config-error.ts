/** A redaction setting that cannot be used (unknown pattern name, unreadable or invalid patterns file). */
export class RedactConfigError extends Error {}
