/**
 * The shell shared by triage's and report's HTML pages: one self-contained document, inline CSS, no script and no
 * external request (the Content-Security-Policy forbids both, so even a missed escape could not run or fetch).
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** For text and attribute values alike: every string that came from a log goes through this. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:24px 32px;color:#1f2937;background:#f9fafb}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.meta{color:#6b7280;margin:2px 0}.pills{margin:12px 0}.pill{display:inline-block;padding:4px 12px;border-radius:999px;background:#e5e7eb;margin-right:8px;font-weight:600}
.pill.errors{background:#fee2e2;color:#991b1b}.signal{background:#fff7ed;border:1px solid #fdba74;border-radius:8px;padding:10px 14px}.signal p{margin:4px 0}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.sig{font-family:ui-monospace,monospace;word-break:break-all}
.example{color:#6b7280;font-size:12px;margin-top:4px}.bar{background:#3b82f6;height:10px;border-radius:2px}.bar.err{background:#ef4444}
pre{background:#111827;color:#e5e7eb;padding:12px;border-radius:6px;overflow-x:auto}svg{background:#fff;border:1px solid #e5e7eb;width:100%;max-width:960px;height:auto}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 16px;min-width:120px}
.card .label{color:#6b7280;font-size:12px}.card .value{font-size:20px;font-weight:700}
.severity-high .value{color:#b91c1c}.severity-medium .value{color:#b45309}.severity-low .value{color:#047857}
footer{margin-top:32px;color:#9ca3af;font-size:12px}
`;

export function htmlDocument(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
