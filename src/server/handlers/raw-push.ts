/** `POST /logtap/raw`: NDJSON in the capture's own entry schema, all or nothing (upstream §3.5). */

import { pushHandler } from "./push-handler.ts";

export const rawPush = pushHandler("raw_push_received", () => "raw-ndjson");
