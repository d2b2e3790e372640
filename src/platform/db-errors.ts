import { type AppError, errors } from "./errors.ts";

/**
 * Errors PostgreSQL (and PGlite) raise when two requests write the same thing at once. Both
 * engines report the SQLSTATE as `code` and the violated constraint's name as `constraint`.
 */
interface DatabaseError {
  code: string;
  constraint?: string;
}

const UNIQUE_VIOLATION = "23505";
const SERIALIZATION_FAILURE = "40001";
const DEADLOCK_DETECTED = "40P01";

/** What a unique constraint guards, as the field the client sent and a sentence about it. */
const uniqueConstraints: Record<string, { field?: string; message: string }> = {
  users_email_key: { field: "email", message: "A user with this email already exists." },
  people_organization_id_email_key: {
    field: "email",
    message: "A person with this email is already listed.",
  },
  people_user_id_key: { message: "This user is already linked to a person." },
  policies_control_idx: {
    field: "controlKey",
    message: "This control already has a policy; edit it or retire it first.",
  },
  policy_versions_open_idx: {
    message: "This policy already has an open draft; reload it and edit that draft.",
  },
  policy_versions_policy_id_version_key: {
    message: "Another version of this policy was saved at the same time; reload and try again.",
  },
  policy_acknowledgements_version_id_person_id_key: {
    field: "versionId",
    message: "You have already acknowledged this version.",
  },
  notice_subscribers_organization_id_email_key: {
    field: "email",
    message: "This address is already subscribed.",
  },
  controls_organization_id_key_key: { field: "key", message: "This control already exists." },
  systems_name_unique: { field: "name", message: "A system with this name is already listed." },
  report_handlers_pkey: { field: "userId", message: "This person already handles reports." },
};

function databaseErrorOf(error: unknown): DatabaseError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return error as DatabaseError;
}

/**
 * The 409 a concurrent write deserves instead of a 500: a unique violation names the field of
 * the constraint it broke (a constraint not listed here still answers 409, without a field),
 * and a serialization failure or deadlock asks the client to try again. Null for anything else.
 */
export function conflictOf(error: unknown): AppError | null {
  const database = databaseErrorOf(error);
  if (!database) return null;
  if (database.code === UNIQUE_VIOLATION) {
    const known = database.constraint ? uniqueConstraints[database.constraint] : undefined;
    if (known) return errors.conflict(known.message, known.field);
    return errors.conflict("This conflicts with a change saved at the same time; try again.");
  }
  if (database.code === SERIALIZATION_FAILURE || database.code === DEADLOCK_DETECTED) {
    return errors.conflict("Another change got in the way of this one; try again.");
  }
  return null;
}
