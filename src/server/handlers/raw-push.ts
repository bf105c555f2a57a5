/** `POST /logtap/raw`: NDJSON in the capture's own entry schema, all or nothing (upstream §3.5). */

import { decodeRawNdjson } from "../../protocols/raw/decode-ndjson.ts";
import { pushHandler } from "./push-handler.ts";

export const rawPush = pushHandler("raw_push_received", (body) => decodeRawNdjson(body));
