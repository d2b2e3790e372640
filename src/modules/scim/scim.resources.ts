import { sql } from "kysely";
import type { ScimEmail, ScimGroup, ScimUser } from "../../db/tables/scim.ts";
import type { AttrPath } from "../../domain/scim-filter.ts";
import type { Resolver } from "./scim.filter-sql.ts";

/** The URNs of the resources and schemas Attest serves (RFC 7643). */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The SCIM User of a provisioned person, as stored. */
export function presentUser(user: ScimUser, base: string) {
  const name =
    user.given_name || user.family_name
      ? {
          ...(user.given_name ? { givenName: user.given_name } : {}),
          ...(user.family_name ? { familyName: user.family_name } : {}),
          formatted: [user.given_name, user.family_name].filter(Boolean).join(" "),
        }
      : undefined;
  const enterprise = {
    ...(user.department ? { department: user.department } : {}),
    ...(user.employee_number ? { employeeNumber: user.employee_number } : {}),
    ...(user.manager_id
      ? { manager: { value: user.manager_id, $ref: `${base}/Users/${user.manager_id}` } }
      : {}),
  };
  const hasEnterprise = Object.keys(enterprise).length > 0;
  return {
    schemas: hasEnterprise ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    id: user.id,
    ...(user.external_id ? { externalId: user.external_id } : {}),
    userName: user.user_name,
    ...(name ? { name } : {}),
    ...(user.display_name ? { displayName: user.display_name } : {}),
    ...(user.title ? { title: user.title } : {}),
    active: user.active,
    emails: user.emails,
    ...(hasEnterprise ? { [ENTERPRISE_SCHEMA]: enterprise } : {}),
    meta: {
      resourceType: "User",
      created: user.created_at.toISOString(),
      lastModified: user.updated_at.toISOString(),
      location: `${base}/Users/${user.id}`,
      version: etagOf(user.version),
    },
  };
}

export interface GroupMember {
  value: string;
  display: string | null;
}

/** The SCIM Group; `members` is left out when not asked for (excludedAttributes=members). */
export function presentGroup(group: ScimGroup, members: GroupMember[] | null, base: string) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.external_id ? { externalId: group.external_id } : {}),
    displayName: group.display_name,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.value,
            ...(m.display ? { display: m.display } : {}),
            $ref: `${base}/Users/${m.value}`,
          })),
        }
      : {}),
    meta: {
      resourceType: "Group",
      created: group.created_at.toISOString(),
      lastModified: group.updated_at.toISOString(),
      location: `${base}/Groups/${group.id}`,
      version: etagOf(group.version),
    },
  };
}

function coreOr(path: AttrPath, core: string): boolean {
  return path.schema === null || path.schema === core.toLowerCase();
}

const ENTERPRISE = ENTERPRISE_SCHEMA.toLowerCase();

/** The User attributes a filter may name, as columns of scim_users. */
export const userColumns: Resolver = (path) => {
  const col = (name: string) => sql.ref(`scim_users.${name}`);
  if (path.schema === ENTERPRISE) {
    if (path.name === "department" && !path.sub) return { expr: col("department"), type: "ci" };
    if (path.name === "employeenumber" && !path.sub)
      return { expr: col("employee_number"), type: "exact" };
    if (path.name === "manager" && (path.sub === null || path.sub === "value"))
      return { expr: sql`${col("manager_id")}::text`, type: "exact" };
    return null;
  }
  if (!coreOr(path, USER_SCHEMA)) return null;
  const key = path.sub ? `${path.name}.${path.sub}` : path.name;
  switch (key) {
    case "id":
      return { expr: sql`${col("id")}::text`, type: "exact" };
    case "username":
      return { expr: col("user_name"), type: "ci" };
    case "externalid":
      return { expr: col("external_id"), type: "exact" };
    case "displayname":
      return { expr: col("display_name"), type: "ci" };
    case "title":
      return { expr: col("title"), type: "ci" };
    case "active":
      return { expr: col("active"), type: "bool" };
    case "name.givenname":
      return { expr: col("given_name"), type: "ci" };
    case "name.familyname":
      return { expr: col("family_name"), type: "ci" };
    case "meta.created":
      return { expr: col("created_at"), type: "date" };
    case "meta.lastmodified":
      return { expr: col("updated_at"), type: "date" };
  }
  if (path.name !== "emails") return null;
  const element = (name: string) => {
    if (name === "value") return { expr: sql`e.v->>'value'`, type: "ci" as const };
    if (name === "type") return { expr: sql`e.v->>'type'`, type: "ci" as const };
    if (name === "primary") return { expr: sql`(e.v->>'primary')::boolean`, type: "bool" as const };
    return null;
  };
  return {
    exists: (condition) =>
      sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(${col("emails")}) AS e(v) WHERE ${condition})`,
    sub: element,
    primary: "value",
  };
};

/** The Group attributes a filter may name. */
export const groupColumns: Resolver = (path) => {
  if (!coreOr(path, GROUP_SCHEMA)) return null;
  const col = (name: string) => sql.ref(`scim_groups.${name}`);
  const key = path.sub ? `${path.name}.${path.sub}` : path.name;
  switch (key) {
    case "id":
      return { expr: sql`${col("id")}::text`, type: "exact" };
    case "displayname":
      return { expr: col("display_name"), type: "ci" };
    case "externalid":
      return { expr: col("external_id"), type: "exact" };
    case "meta.created":
      return { expr: col("created_at"), type: "date" };
    case "meta.lastmodified":
      return { expr: col("updated_at"), type: "date" };
  }
  if (path.name !== "members") return null;
  return {
    exists: (condition) =>
      sql<boolean>`EXISTS (SELECT 1 FROM scim_group_members AS m WHERE m.group_id = ${col("id")} AND ${condition})`,
    sub: (name) => (name === "value" ? { expr: sql`m.user_id::text`, type: "exact" } : null),
    primary: "value",
  };
};

/** The email a person is listed with: the primary one, else the work one, else the first. */
export function personEmail(emails: ScimEmail[], userName: string): string | null {
  const chosen =
    emails.find((e) => e.primary) ?? emails.find((e) => e.type === "work") ?? emails[0];
  if (chosen) return chosen.value;
  return userName.includes("@") ? userName : null;
}

/**
 * Keeps what `attributes` asks for (plus id, schemas, meta), or drops what
 * `excludedAttributes` names; top-level attributes, case-insensitive, by name or full URN.
 */
export function selectAttributes<T extends Record<string, unknown>>(
  resource: T,
  attributes: string[] | null,
  excluded: string[] | null,
): T {
  const top = (name: string) => {
    const lower = name.toLowerCase();
    for (const schema of [USER_SCHEMA, GROUP_SCHEMA]) {
      const prefix = `${schema.toLowerCase()}:`;
      if (lower.startsWith(prefix)) return lower.slice(prefix.length).split(".")[0] as string;
    }
    if (lower.startsWith(ENTERPRISE)) return ENTERPRISE;
    return lower.split(".")[0] as string;
  };
  const always = new Set(["id", "schemas", "meta"]);
  if (attributes && attributes.length > 0) {
    const wanted = new Set(attributes.map(top));
    return Object.fromEntries(
      Object.entries(resource).filter(([k]) => always.has(k) || wanted.has(k.toLowerCase())),
    ) as T;
  }
  if (excluded && excluded.length > 0) {
    const dropped = new Set(excluded.map(top));
    return Object.fromEntries(
      Object.entries(resource).filter(([k]) => always.has(k) || !dropped.has(k.toLowerCase())),
    ) as T;
  }
  return resource;
}
