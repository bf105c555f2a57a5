/**
 * What status shows of a receiver (§22.9): three of its Prometheus values, as the receiver wrote them (upstream
 * printed the raw text, so `1.5e+06` stays `1.5e+06`). A value the receiver does not export is left out.
 */

export interface ReceiverStats {
  logs_received?: string;
  disk_used?: string;
  dropped?: string;
}

const SHOWN: [keyof ReceiverStats, string][] = [
  ["logs_received", "logtap_logs_received_total"],
  ["disk_used", "logtap_disk_usage_bytes"],
  ["dropped", "logtap_logs_dropped_total"],
];

export function receiverStats(exposition: string): ReceiverStats {
  const out: ReceiverStats = {};
  for (const line of exposition.split("\n")) {
    // `name value [timestamp]`; only the unlabelled series.
    const [name, value] = line.trim().split(/\s+/);
    const key = SHOWN.find(([, metric]) => metric === name)?.[0];
    if (key !== undefined && value !== undefined && out[key] === undefined) out[key] = value;
  }
  return out;
}
