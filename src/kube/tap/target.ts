/**
 * `--target`, the receiver address (§22.3 validation 1, §26 Q17): upstream's `host[:port]`, and also
 * `http://host[:port]` / `https://host[:port]`, since the forwarder speaks https (§23.1) and upstream's validator
 * made that unreachable. The host stays letters, digits, dots and hyphens, the port digits, and there is no path:
 * that is the injection-safety rule — the value ends up in an environment variable, annotations and, for the
 * Fluent Bit variant, a config file, and none of them can then receive a space, newline or other syntax.
 *
 * Fluent Bit's loki output takes no URL: the URL form is taken apart into `Host`, `Port` and `tls On`
 * (fluent-bit.ts), so every accepted target works for both forwarders.
 */

export interface Target {
  /** As the user wrote it; the logtap forwarder gets exactly this in LOGTAP_TARGET. */
  text: string;
  /** null for the bare `host[:port]` form (the forwarder then uses http://). */
  scheme: "http" | "https" | null;
  host: string;
  /** null when no port was written. */
  port: number | null;
}

const TARGET = /^(?:(https?):\/\/)?([a-zA-Z0-9.-]+)(?::(\d+))?$/;

function invalid(text: string): string {
  return `invalid --target "${text}": must be hostname, hostname:port or http(s)://hostname[:port] (alphanumeric, dots, hyphens only)`;
}

/** The parsed target, or the §22.3 message (extended with the URL form) when it is not one. */
export function parseTarget(text: string): Target | string {
  const m = TARGET.exec(text);
  if (m === null) return invalid(text);
  const [, scheme, host, port] = m;
  if (port !== undefined) {
    const n = Number(port);
    if (!(n >= 1 && n <= 65535)) return `invalid --target "${text}": port must be between 1 and 65535`;
    return { text, scheme: (scheme as Target["scheme"]) ?? null, host: host!, port: n };
  }
  return { text, scheme: (scheme as Target["scheme"]) ?? null, host: host!, port: null };
}

/** null when valid, else the message: the validator the commands run before any cluster call. */
export function targetProblem(text: string): string | null {
  const t = parseTarget(text);
  return typeof t === "string" ? t : null;
}

/** The port a connection to the target uses: the written one, else the scheme's (a bare host means http). */
export function effectivePort(t: Target): number {
  return t.port ?? (t.scheme === "https" ? 443 : 80);
}

/** The URL the receiver pre-check and `status` GET `/metrics` from: `http://` unless the target has a scheme. */
export function targetUrl(t: Target): string {
  return `${t.scheme ?? "http"}://${t.host}${t.port === null ? "" : `:${t.port}`}`;
}
