/**
 * The error the pure modules (patches, selectors) throw. It carries the exact `kind: Status` body the real API server
 * sends for the same failure (apimachinery pkg/api/errors), so the server can answer with `toStatus()` unchanged.
 * Kept here, dependency-free, instead of importing the server's own error module: these modules must not depend on it.
 */

import type { ApiStatusError, KubeObject } from "../contract.ts";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
}

export class KubeStatusError extends Error implements ApiStatusError {
  override name = "KubeStatusError";

  constructor(
    readonly code: number,
    /** "" is metav1.StatusReasonUnknown, which Go omits from the body. */
    readonly reason: string,
    message: string,
    /** Written (as `{}` when empty) only when set, as Go writes a non-nil *StatusDetails. */
    readonly details?: StatusDetails,
    /**
     * What went wrong, when the body hides it: a failed JSON patch operation answers with a generic 422 whose
     * message does not say which operation failed. Not part of the Status body; for logs and tests.
     */
    readonly detail?: string,
  ) {
    super(message);
  }

  toStatus(): KubeObject {
    const status: Record<string, unknown> = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message };
    if (this.reason) status.reason = this.reason;
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status as unknown as KubeObject;
  }
}

/** errors.NewBadRequest: 400, the message verbatim. */
export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, "BadRequest", message);
}

/**
 * errors.NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false): the body says only "the server
 * rejected our request due to an error in our request" with empty details; `msg` is dropped (kept in `detail`).
 */
export function genericUnprocessable(detail: string): KubeStatusError {
  return new KubeStatusError(422, "Invalid", "the server rejected our request due to an error in our request", {}, detail);
}

/**
 * A plain Go error that reaches the handler without being an APIStatus: ErrorToAPIStatus makes it a 500 with an
 * empty reason and the error text as the message (kubectl prints "Error from server: <text>").
 */
export function plainServerError(message: string): KubeStatusError {
  return new KubeStatusError(500, "", message);
}

/** errors.NewRequestEntityTooLargeError. */
export function requestEntityTooLarge(message: string): KubeStatusError {
  return new KubeStatusError(413, "RequestEntityTooLarge", `Request entity too large: ${message}`);
}

/** negotiation.NewUnsupportedMediaTypeError: what the server answers for a patch type the resource does not take. */
export function unsupportedMediaType(accepted: string[]): KubeStatusError {
  return new KubeStatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );
}
