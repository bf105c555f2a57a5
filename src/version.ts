/** Build identity: the package version, and the commit/date the build script injects (`dev`/`none`/`unknown` from sources). */

import pkg from "../package.json" with { type: "json" };

declare const LOGTAP_COMMIT: string | undefined;
declare const LOGTAP_BUILD_DATE: string | undefined;

export const VERSION: string = pkg.version;
export const COMMIT: string = typeof LOGTAP_COMMIT === "string" ? LOGTAP_COMMIT : "none";
export const BUILD_DATE: string = typeof LOGTAP_BUILD_DATE === "string" ? LOGTAP_BUILD_DATE : "unknown";
export const RUNTIME = `bun ${Bun.version}`;
