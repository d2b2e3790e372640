import type { ScimGroup } from "../../db/tables/scim.ts";
import { type Filter, parsePatchPath, ScimFilterError } from "../../domain/scim-filter.ts";
import { ScimError, scimErrors } from "./scim.errors.ts";
import { GROUP_SCHEMA } from "./scim.resources.ts";
import { field, isObject } from "./scim.user-doc.ts";
import type { PatchOperation } from "./scim.users.service.ts";

/** A Group as a POST or PUT body gives it: members are SCIM user ids (null: not given). */
export interface GroupDoc {
  displayName: string;
  externalId: string | null;
  members: string[] | null;
}

/** What a PUT or PATCH does to a group: its attributes after, and the membership changes. */
export interface GroupChange {
  displayName: string;
  externalId: string | null;
  members: { replace?: string[]; add: string[]; remove: string[]; removeAll: boolean };
}

const MAX_MEMBERS_PER_REQUEST = 10_000;
const CORE = GROUP_SCHEMA.toLowerCase();

export function readGroup(body: unknown): GroupDoc {
  if (!isObject(body)) throw scimErrors.invalidSyntax("The body must be a SCIM Group object.");
  const displayName = text("displayName", field(body, "displayName"));
  if (!displayName) throw scimErrors.invalidValue("displayName is required");
  const members = field(body, "members");
  return {
    displayName,
    externalId: text("externalId", field(body, "externalId")),
    members: members === undefined || members === null ? null : memberIds(members),
  };
}

export function patchGroupChange(group: ScimGroup, operations: PatchOperation[]): GroupChange {
  const change: GroupChange = {
    displayName: group.display_name,
    externalId: group.external_id,
    members: { add: [], remove: [], removeAll: false },
  };
  for (const { op, path, value } of operations) {
    if (path === null) {
      if (op === "remove") throw scimErrors.noTarget("A remove operation needs a path.");
      if (!isObject(value))
        throw scimErrors.invalidValue("An operation without a path takes an object value.");
      for (const [key, each] of Object.entries(value)) apply(change, group, op, key, null, each);
      continue;
    }
    let parsed: ReturnType<typeof parsePatchPath>;
    try {
      parsed = parsePatchPath(path);
    } catch (error) {
      if (error instanceof ScimFilterError)
        throw scimErrors.invalidPath(`${path}: ${error.message}`);
      throw error;
    }
    if (parsed.path.schema !== null && parsed.path.schema !== CORE) {
      throw scimErrors.invalidPath(`${path}: unknown schema`);
    }
    if (parsed.filter && parsed.path.name !== "members") {
      throw scimErrors.invalidPath(`${path}: only members takes a value filter`);
    }
    if (parsed.filter) {
      if (op !== "remove")
        throw scimErrors.invalidPath(`${path}: add or replace members without a filter`);
      removeMembers(change, [memberOfFilter(path, parsed.filter)]);
      continue;
    }
    const name = parsed.path.sub ? `${parsed.path.name}.${parsed.path.sub}` : parsed.path.name;
    apply(change, group, op, name, path, value);
  }
  return change;
}

function apply(
  change: GroupChange,
  group: ScimGroup,
  op: PatchOperation["op"],
  key: string,
  path: string | null,
  value: unknown,
) {
  const name = key.toLowerCase();
  const shown = path ?? key;
  switch (name) {
    case "displayname": {
      if (op === "remove") throw scimErrors.mutability("displayName is required");
      const displayName = text(shown, value);
      if (!displayName) throw scimErrors.invalidValue("displayName must not be empty");
      change.displayName = displayName;
      return;
    }
    case "externalid":
      change.externalId = op === "remove" ? null : text(shown, value);
      return;
    case "members": {
      if (op === "remove") {
        if (value === undefined || value === null) {
          change.members = { add: [], remove: [], removeAll: true };
          return;
        }
        removeMembers(change, memberIds(value));
        return;
      }
      const ids = memberIds(value);
      if (op === "replace")
        change.members = { replace: ids, add: [], remove: [], removeAll: false };
      else if (change.members.replace) change.members.replace.push(...ids);
      else {
        const adding = new Set(ids);
        change.members.remove = change.members.remove.filter((id) => !adding.has(id));
        change.members.add.push(...ids);
      }
      return;
    }
    case "id":
      // Okta's rename sends the group's own id beside the new name.
      if (op !== "remove" && typeof value === "string" && value.toLowerCase() === group.id) return;
      throw scimErrors.mutability("id is read-only");
    case "schemas":
    case "meta":
      if (op !== "remove" && name === "schemas") return;
      throw scimErrors.mutability(`${shown} is read-only`);
  }
  throw scimErrors.invalidPath(`${shown} is not an attribute of the Group schema`);
}

function removeMembers(change: GroupChange, ids: string[]) {
  const removing = new Set(ids);
  if (change.members.replace) {
    change.members.replace = change.members.replace.filter((id) => !removing.has(id));
    return;
  }
  change.members.add = change.members.add.filter((id) => !removing.has(id));
  change.members.remove.push(...ids);
}

/** `members[value eq "…"]`: the one member it names. */
function memberOfFilter(path: string, filter: Filter): string {
  if (
    filter.kind !== "compare" ||
    filter.op !== "eq" ||
    filter.path.name !== "value" ||
    filter.path.sub ||
    typeof filter.value !== "string"
  ) {
    throw scimErrors.invalidFilter(`${path}: select a member with value eq "<id>"`);
  }
  return filter.value;
}

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS_PER_REQUEST) {
    throw new ScimError(
      400,
      `at most ${MAX_MEMBERS_PER_REQUEST} members in one request`,
      "tooMany",
    );
  }
  return list.map((each) => {
    const id = isObject(each) ? field(each, "value") : each;
    if (typeof id !== "string" || id === "")
      throw scimErrors.invalidValue("members: each member needs a value (a user id)");
    return id.toLowerCase();
  });
}

function text(name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw scimErrors.invalidValue(`${name} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > 300) throw scimErrors.invalidValue(`${name} is longer than 300 characters`);
  return trimmed === "" ? null : trimmed;
}
