/** The SCIM error schema (RFC 7644 §3.12). */
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

/**
 * A SCIM request refused: its HTTP status and, for a 400 or 409, the scimType the RFC names.
 * Thrown by the scim area's services; the /scim/v2 error handler answers it in SCIM's schema.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType: ScimType | null = null,
  ) {
    super(message);
  }
}

export const scimErrors = {
  invalidValue: (detail: string) => new ScimError(400, detail, "invalidValue"),
  invalidSyntax: (detail: string) => new ScimError(400, detail, "invalidSyntax"),
  invalidFilter: (detail: string) => new ScimError(400, detail, "invalidFilter"),
  invalidPath: (detail: string) => new ScimError(400, detail, "invalidPath"),
  noTarget: (detail: string) => new ScimError(400, detail, "noTarget"),
  mutability: (detail: string) => new ScimError(400, detail, "mutability"),
  uniqueness: (detail: string) => new ScimError(409, detail, "uniqueness"),
  notFound: (what: string) => new ScimError(404, `${what} not found.`),
  preconditionFailed: () =>
    new ScimError(412, "The resource has changed: its version does not match If-Match."),
  unauthorized: (detail: string) => new ScimError(401, detail),
};

export function scimErrorBody(status: number, detail: string, scimType: ScimType | null) {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  };
}
