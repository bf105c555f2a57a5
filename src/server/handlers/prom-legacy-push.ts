/** `POST /api/prom/push`: Loki's deprecated endpoint; JSON uses the legacy shape (labels string, entries[{ts,line}]). */

import { isJsonContentType } from "./loki-push.ts";
import { pushHandler } from "./push-handler.ts";

export const promLegacyPush = pushHandler("loki_push_received", (req) => (isJsonContentType(req) ? "legacy-json" : "loki-proto"));
