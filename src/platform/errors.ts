/**
 * One error type for the whole application. Services throw AppError with a stable code;
 * the HTTP layer maps codes to RFC 9457 problem responses. Services never know about HTTP.
 */
export type ErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "invalid_credentials"
  | "invalid_mfa_code"
  | "password_sign_in_disabled"
  | "discovery_failed"
  | "mfa_enrollment_required"
  | "mfa_required_by_organization"
  | "csrf_failed"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "setup_already_done"
  | "rate_limited"
  | "payload_too_large"
  | "invalid_state"
  | "internal";

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const errors = {
  validation: (field: string, message: string) =>
    new AppError("validation_failed", `${field}: ${message}`, [{ field, message }]),
  unauthenticated: (message = "Sign in to continue.") => new AppError("unauthenticated", message),
  forbidden: (message = "Your role does not allow this.") => new AppError("forbidden", message),
  notFound: (what: string) => new AppError("not_found", `${what} was not found.`),
  conflict: (message: string, field?: string) =>
    new AppError("conflict", message, field ? [{ field, message }] : []),
  invalidState: (message: string) => new AppError("invalid_state", message),
};

export const httpStatusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_mfa_code: 401,
  password_sign_in_disabled: 403,
  discovery_failed: 422,
  mfa_enrollment_required: 403,
  mfa_required_by_organization: 409,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  setup_already_done: 409,
  invalid_state: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};
