import type { ScimEmail, ScimUser } from "../../db/tables/scim.ts";
import { type PatchPath, parsePatchPath, ScimFilterError } from "../../domain/scim-filter.ts";
import { scimErrors } from "./scim.errors.ts";
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from "./scim.resources.ts";

/**
 * A SCIM User as Attest keeps it, read from a POST or PUT body and changed by PATCH operations
 * (RFC 7644 §3.5.2) before it is written. Attribute names are case-insensitive; booleans may
 * come as strings ("False", as Entra sends them).
 */
export interface UserDoc {
  userName: string;
  externalId: string | null;
  active: boolean;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  title: string | null;
  emails: ScimEmail[];
  department: string | null;
  employeeNumber: string | null;
  /** The manager's SCIM id. */
  managerId: string | null;
}

export type Json = Record<string, unknown>;

const ENTERPRISE = ENTERPRISE_SCHEMA.toLowerCase();
const CORE = USER_SCHEMA.toLowerCase();
const MAX_TEXT = 300;

/**
 * Core User attributes of RFC 7643 that Attest accepts and does not keep (identity providers
 * send them with their default mappings): accepted, so provisioning does not fail on them.
 */
const IGNORED = new Set([
  "nickname",
  "profileurl",
  "usertype",
  "preferredlanguage",
  "locale",
  "timezone",
  "phonenumbers",
  "addresses",
  "ims",
  "photos",
  "entitlements",
  "roles",
  "x509certificates",
  "password",
  "groups",
]);
const IGNORED_NAME_PARTS = new Set([
  "formatted",
  "middlename",
  "honorificprefix",
  "honorificsuffix",
]);
const IGNORED_ENTERPRISE = new Set(["costcenter", "organization", "division"]);

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A key of a JSON object, case-insensitively. */
export function field(object: Json, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export function docOf(user: ScimUser): UserDoc {
  return {
    userName: user.user_name,
    externalId: user.external_id,
    active: user.active,
    givenName: user.given_name,
    familyName: user.family_name,
    displayName: user.display_name,
    title: user.title,
    emails: user.emails,
    department: user.department,
    employeeNumber: user.employee_number,
    managerId: user.manager_id,
  };
}

const EMPTY: UserDoc = {
  userName: "",
  externalId: null,
  active: true,
  givenName: null,
  familyName: null,
  displayName: null,
  title: null,
  emails: [],
  department: null,
  employeeNumber: null,
  managerId: null,
};

/** Reads a whole User (POST, PUT); `id` and `meta` are the server's and ignored. */
export function readUser(body: unknown): UserDoc {
  if (!isObject(body)) throw scimErrors.invalidSyntax("The body must be a SCIM User object.");
  const doc: UserDoc = { ...EMPTY, emails: [] };
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === "schemas" || lower === "id" || lower === "meta") continue;
    if (lower === ENTERPRISE) {
      if (value === null) continue;
      if (!isObject(value)) throw scimErrors.invalidValue(`${ENTERPRISE_SCHEMA} must be an object`);
      for (const [sub, subValue] of Object.entries(value))
        setPath(doc, `${ENTERPRISE_SCHEMA}:${sub}`, subValue, "replace");
      continue;
    }
    setPath(doc, key, value, "replace");
  }
  if (field(body, "active") === undefined) doc.active = true;
  if (!doc.userName) throw scimErrors.invalidValue("userName is required");
  return doc;
}

export type PatchOpName = "add" | "replace" | "remove";

/** Applies one PATCH operation to the document (in place). */
export function patchUser(doc: UserDoc, op: PatchOpName, path: string | null, value: unknown) {
  if (path === null) {
    if (op === "remove") throw scimErrors.noTarget("A remove operation needs a path.");
    if (!isObject(value))
      throw scimErrors.invalidValue("An operation without a path takes an object value.");
    for (const [key, each] of Object.entries(value)) {
      if (key.toLowerCase() === ENTERPRISE && isObject(each)) {
        for (const [sub, subValue] of Object.entries(each))
          setPath(doc, `${ENTERPRISE_SCHEMA}:${sub}`, subValue, op);
      } else {
        setPath(doc, key, each, op);
      }
    }
    return;
  }
  setPath(doc, path, value, op);
}

function parsed(path: string): PatchPath {
  try {
    return parsePatchPath(path);
  } catch (error) {
    if (error instanceof ScimFilterError) throw scimErrors.invalidPath(`${path}: ${error.message}`);
    throw error;
  }
}

function setPath(doc: UserDoc, rawPath: string, value: unknown, op: PatchOpName) {
  const { path, filter, sub } = parsed(rawPath);
  const remove = op === "remove";
  if (path.schema === ENTERPRISE) {
    if (filter) throw scimErrors.invalidPath(`${rawPath} is not multi-valued`);
    if (path.name === "department" && !path.sub)
      doc.department = remove ? null : text(rawPath, value);
    else if (path.name === "employeenumber" && !path.sub)
      doc.employeeNumber = remove ? null : text(rawPath, value);
    else if (path.name === "manager" && (path.sub === null || path.sub === "value"))
      doc.managerId = remove ? null : managerValue(rawPath, value);
    else if (!IGNORED_ENTERPRISE.has(path.name) || path.sub)
      throw scimErrors.invalidPath(`${rawPath} is not an attribute of the enterprise extension`);
    return;
  }
  if (path.schema !== null && path.schema !== CORE) {
    throw scimErrors.invalidPath(`${rawPath}: unknown schema`);
  }
  if (path.name === "emails") return setEmails(doc, rawPath, filter, sub ?? path.sub, value, op);
  if (filter) {
    if (IGNORED.has(path.name)) return;
    throw scimErrors.invalidPath(`${rawPath} is not a multi-valued attribute Attest keeps`);
  }
  const key = path.sub ? `${path.name}.${path.sub}` : path.name;
  switch (key) {
    case "username":
      if (remove) throw scimErrors.mutability("userName is required and cannot be removed");
      doc.userName = text(rawPath, value) ?? "";
      if (!doc.userName) throw scimErrors.invalidValue("userName must not be empty");
      return;
    case "externalid":
      doc.externalId = remove ? null : text(rawPath, value);
      return;
    case "active":
      if (remove) throw scimErrors.mutability("active cannot be removed; set it to false");
      doc.active = bool(rawPath, value);
      return;
    case "displayname":
      doc.displayName = remove ? null : text(rawPath, value);
      return;
    case "title":
      doc.title = remove ? null : text(rawPath, value);
      return;
    case "name.givenname":
      doc.givenName = remove ? null : text(rawPath, value);
      return;
    case "name.familyname":
      doc.familyName = remove ? null : text(rawPath, value);
      return;
    case "name":
      if (remove || value === null) {
        doc.givenName = null;
        doc.familyName = null;
        return;
      }
      if (!isObject(value)) throw scimErrors.invalidValue("name must be an object");
      for (const [part, partValue] of Object.entries(value))
        setPath(doc, `name.${part}`, partValue, op);
      return;
    case "id":
    case "meta":
    case "schemas":
      if (key === "schemas" && op !== "remove") return;
      throw scimErrors.mutability(`${rawPath} is read-only`);
  }
  if (path.name === "name" && path.sub && IGNORED_NAME_PARTS.has(path.sub)) return;
  if (IGNORED.has(path.name)) return;
  throw scimErrors.invalidPath(`${rawPath} is not an attribute of the User schema`);
}

function setEmails(
  doc: UserDoc,
  rawPath: string,
  filter: PatchPath["filter"],
  sub: string | null,
  value: unknown,
  op: PatchOpName,
) {
  if (!filter) {
    if (sub)
      throw scimErrors.invalidPath(
        `${rawPath}: name the email with a filter, e.g. emails[type eq "work"].value`,
      );
    if (op === "remove") {
      doc.emails = [];
      return;
    }
    const list = emailList(rawPath, Array.isArray(value) ? value : [value]);
    doc.emails = op === "replace" ? list : mergeEmails(doc.emails, list);
    return;
  }
  // Only `type eq "…"` and `value eq "…"` filters select an email; that is what providers send.
  if (
    filter.kind !== "compare" ||
    filter.op !== "eq" ||
    typeof filter.value !== "string" ||
    filter.path.sub ||
    (filter.path.name !== "type" && filter.path.name !== "value")
  ) {
    throw scimErrors.invalidFilter(`${rawPath}: select an email by type eq or value eq`);
  }
  const attr = filter.path.name as "type" | "value";
  const wanted = filter.value.toLowerCase();
  const matches = (e: ScimEmail) => (e[attr] ?? "").toLowerCase() === wanted;
  if (op === "remove") {
    if (!doc.emails.some(matches)) throw scimErrors.noTarget(`${rawPath} matches no email`);
    doc.emails = doc.emails.filter((e) => !matches(e));
    return;
  }
  if (sub !== null && sub !== "value" && sub !== "primary" && sub !== "type") {
    throw scimErrors.invalidPath(`${rawPath}: emails have value, type and primary`);
  }
  const current = doc.emails.find(matches);
  const next: ScimEmail = current ? { ...current } : { value: "", [attr]: filter.value };
  if (sub === null) {
    const [email] = emailList(rawPath, [value]);
    Object.assign(next, email);
  } else if (sub === "primary") {
    next.primary = bool(rawPath, value);
  } else {
    next[sub as "value" | "type"] = text(rawPath, value) ?? "";
  }
  if (!next.value) throw scimErrors.invalidValue(`${rawPath}: an email needs a value`);
  checkEmail(rawPath, next.value);
  doc.emails = current ? doc.emails.map((e) => (e === current ? next : e)) : [...doc.emails, next];
}

function mergeEmails(current: ScimEmail[], added: ScimEmail[]): ScimEmail[] {
  const merged = [...current];
  for (const email of added) {
    const at = merged.findIndex((e) => e.value.toLowerCase() === email.value.toLowerCase());
    if (at >= 0) merged[at] = { ...merged[at], ...email };
    else merged.push(email);
  }
  return merged;
}

function emailList(rawPath: string, values: unknown[]): ScimEmail[] {
  if (values.length > 20) throw scimErrors.invalidValue(`${rawPath}: at most 20 emails`);
  return values.map((each) => {
    if (!isObject(each))
      throw scimErrors.invalidValue(`${rawPath}: each email is an object with a value`);
    const value = text(`${rawPath}.value`, field(each, "value"));
    if (!value) throw scimErrors.invalidValue(`${rawPath}: each email needs a value`);
    checkEmail(rawPath, value);
    const type = field(each, "type");
    const primary = field(each, "primary");
    return {
      value,
      ...(type !== undefined && type !== null ? { type: text(`${rawPath}.type`, type) ?? "" } : {}),
      ...(primary !== undefined && primary !== null
        ? { primary: bool(`${rawPath}.primary`, primary) }
        : {}),
    };
  });
}

function checkEmail(rawPath: string, value: string) {
  if (!/^[^\s@]+@[^\s@]+$/.test(value) || value.length > 254) {
    throw scimErrors.invalidValue(`${rawPath}: "${value.slice(0, 80)}" is not an email address`);
  }
}

function text(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw scimErrors.invalidValue(`${name} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > MAX_TEXT)
    throw scimErrors.invalidValue(`${name} is longer than ${MAX_TEXT} characters`);
  return trimmed === "" ? null : trimmed;
}

/** A boolean, or a string of one in any case ("False", as Entra sends it). */
function bool(name: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) {
    return value.trim().toLowerCase() === "true";
  }
  throw scimErrors.invalidValue(`${name} must be true or false`);
}

/** The manager as `{ "value": id }` or as the id itself (Entra sends either). */
function managerValue(name: string, value: unknown): string | null {
  if (value === null) return null;
  const id = isObject(value) ? field(value, "value") : value;
  if (id === null || id === undefined || id === "") return null;
  if (typeof id !== "string") throw scimErrors.invalidValue(`${name} must name the manager's id`);
  return id;
}
