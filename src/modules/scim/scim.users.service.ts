import { sql } from "kysely";
import type { ScimUser } from "../../db/tables/scim.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { peopleByIds, personByEmail } from "../people/people.queries.ts";
import { changePersonIn, createPersonIn, type PersonChanges } from "../people/people.service.ts";
import { ssoAccountPolicy } from "../sso/sso.queries.ts";
import { reactivateUserIn } from "../users/reactivation.service.ts";
import { deactivateUserIn } from "../users/users.service.ts";
import { provisionAccounts } from "./scim.accounts.ts";
import { provisioningChange } from "./scim.change.ts";
import { scimErrors } from "./scim.errors.ts";
import { type ListQuery, listPage, scimId } from "./scim.list.ts";
import { personEmail, presentUser, userColumns } from "./scim.resources.ts";
import {
  docOf,
  type Json,
  type PatchOpName,
  patchUser,
  readUser,
  type UserDoc,
} from "./scim.user-doc.ts";

/**
 * SCIM Users: each is a person of the people area (created, changed and ended only through
 * its services, in the same transaction as the SCIM row). `active=false` and DELETE end the
 * person's employment today, as offboarding does, and deactivate their account if they have
 * one; `active=true` afterwards clears the end date (a re-hire). See docs/scim.md.
 */

export async function findUser(tx: Tx, id: string, lock = false): Promise<ScimUser> {
  const uuid = scimId(id);
  let query = tx
    .selectFrom("scim_users")
    .selectAll()
    .where("id", "=", uuid ?? "00000000-0000-0000-0000-000000000000")
    .where("deleted_at", "is", null);
  if (lock) query = query.forUpdate();
  const user = uuid ? await query.executeTakeFirst() : undefined;
  if (!user) throw scimErrors.notFound(`User ${id}`);
  return user;
}

export function checkVersion(version: number, ifMatch: string | undefined) {
  if (!ifMatch || ifMatch.trim() === "*") return;
  const tags = ifMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (!tags.includes(`"${version}"`)) throw scimErrors.preconditionFailed();
}

export async function getUser(ctx: Context, id: string, base: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    presentUser(await findUser(tx, id), base),
  );
}

export async function listUsers(ctx: Context, query: ListQuery, base: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const page = await listPage(
      tx.selectFrom("scim_users").where("deleted_at", "is", null),
      query,
      userColumns,
    );
    const rows = page.ids.length
      ? await tx.selectFrom("scim_users").selectAll().where("id", "in", page.ids).execute()
      : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      total: page.total,
      resources: page.ids.map((id) => presentUser(byId.get(id) as ScimUser, base)),
    };
  });
}

export async function createUser(ctx: Context, body: unknown, base: string) {
  const doc = readUser(body);
  const created = await provisioningChange(ctx, async (scope) => {
    const { tx } = scope;
    await checkUserNameFree(tx, doc.userName, null);
    const email = requiredEmail(doc);
    const managerPersonId = await managerPerson(tx, doc.managerId, null);
    const listed = await personByEmail(tx, email);
    // Read before the person is written: a new person's number is locked until the commit.
    const policy = await ssoAccountPolicy(tx);
    let personId: string;
    if (listed) {
      // Listed before provisioning (an import, a hand entry): SCIM takes that person over.
      const taken = await tx
        .selectFrom("scim_users")
        .select("id")
        .where("person_id", "=", listed.id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (taken) throw scimErrors.uniqueness(`Another SCIM user is already ${email}.`);
      personId = listed.id;
      await changePerson(ctx, scope, listed, doc, {
        managerId: managerPersonId,
        name: personName(doc),
      });
    } else {
      const person = await createPersonIn(ctx, scope, {
        name: personName(doc),
        email,
        managerId: managerPersonId,
        startDate: isoDay(new Date()),
        endDate: doc.active ? null : isoDay(new Date()),
      });
      personId = person.id;
    }
    const row = await tx
      .insertInto("scim_users")
      .values({ organization_id: ctx.organizationId, person_id: personId, ...columnsOf(doc) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await provisionAccounts(ctx, scope, [row.id], policy);
    await scope.audit({
      action: "scim_user.provisioned",
      targetType: "person",
      targetId: personId,
      after: auditView(row),
    });
    return row;
  });
  return presentUser(created, base);
}

export async function replaceUser(
  ctx: Context,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
  base: string,
) {
  const doc = readUser(body);
  const row = await provisioningChange(ctx, async (scope) => {
    const before = await findUser(scope.tx, id, true);
    checkVersion(before.version, ifMatch);
    return writeUser(ctx, scope, before, doc);
  });
  return presentUser(row, base);
}

export interface PatchOperation {
  op: PatchOpName;
  path: string | null;
  value: unknown;
}

export async function patchUserById(
  ctx: Context,
  id: string,
  operations: PatchOperation[],
  ifMatch: string | undefined,
  base: string,
) {
  const row = await provisioningChange(ctx, async (scope) => {
    const before = await findUser(scope.tx, id, true);
    checkVersion(before.version, ifMatch);
    const doc = docOf(before);
    for (const operation of operations)
      patchUser(doc, operation.op, operation.path, operation.value);
    return writeUser(ctx, scope, before, doc);
  });
  return presentUser(row, base);
}

/** DELETE: employment ends today (as offboarding), the SCIM resource is gone; the person stays. */
export async function deleteUser(ctx: Context, id: string, ifMatch: string | undefined) {
  await provisioningChange(ctx, async (scope) => {
    const before = await findUser(scope.tx, id, true);
    checkVersion(before.version, ifMatch);
    await endEmployment(ctx, scope, before.person_id);
    await scope.tx.deleteFrom("scim_group_members").where("user_id", "=", before.id).execute();
    await scope.tx
      .updateTable("scim_users")
      .set({
        deleted_at: new Date(),
        active: false,
        version: before.version + 1,
        updated_at: new Date(),
      })
      .where("id", "=", before.id)
      .execute();
    await scope.tx
      .updateTable("scim_users")
      .set({ manager_id: null })
      .where("manager_id", "=", before.id)
      .execute();
    await scope.audit({
      action: "scim_user.deprovisioned",
      targetType: "person",
      targetId: before.person_id,
      before: auditView(before),
    });
  });
}

async function writeUser(ctx: Context, scope: ChangeScope, before: ScimUser, doc: UserDoc) {
  const { tx } = scope;
  if (doc.userName.toLowerCase() !== before.user_name.toLowerCase()) {
    await checkUserNameFree(tx, doc.userName, before.id);
  }
  const email = requiredEmail(doc);
  const managerPersonId = await managerPerson(tx, doc.managerId, before);
  const person = await personRow(tx, before.person_id);
  await changePerson(ctx, scope, person, doc, {
    name: personName(doc),
    email,
    managerId: managerPersonId,
  });
  const after = await tx
    .updateTable("scim_users")
    .set({ ...columnsOf(doc), version: before.version + 1, updated_at: new Date() })
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await provisionAccounts(ctx, scope, [after.id]);
  await scope.audit({
    action: "scim_user.updated",
    targetType: "person",
    targetId: before.person_id,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

type PersonRowLite = {
  id: string;
  name: string;
  email: string;
  manager_id: string | null;
  end_date: string | null;
  user_id: string | null;
};

async function personRow(tx: Tx, id: string): Promise<PersonRowLite> {
  const [person] = await peopleByIds(tx, [id]);
  if (!person) throw scimErrors.notFound("Person");
  return person;
}

/**
 * Changes the person as the document says, in one event: an offboarding when active turns
 * false (end date today, unless an earlier one is set), a re-hire (end date cleared) when it
 * turns true, an update otherwise; nothing when nothing differs.
 */
async function changePerson(
  ctx: Context,
  scope: ChangeScope,
  person: PersonRowLite,
  doc: UserDoc,
  wanted: { name: string; email?: string; managerId: string | null },
) {
  const today = isoDay(new Date());
  const changes: PersonChanges = {};
  if (wanted.name !== person.name) changes.name = wanted.name;
  if (wanted.email && wanted.email.toLowerCase() !== person.email) changes.email = wanted.email;
  if (wanted.managerId !== person.manager_id) changes.managerId = wanted.managerId;
  const ended = person.end_date !== null && person.end_date <= today;
  let action = "person.updated";
  if (!doc.active && (person.end_date === null || person.end_date > today)) {
    changes.endDate = today;
    action = "person.offboarded";
  } else if (doc.active && person.end_date !== null) {
    changes.endDate = null;
  }
  if (Object.keys(changes).length > 0) {
    await changePersonIn(ctx, scope, person.id, changes, {
      action,
      ...(action === "person.offboarded"
        ? { reason: "Deactivated by the identity provider (SCIM)" }
        : {}),
    });
  }
  if (!doc.active && !ended && person.user_id) await deactivateUserIn(ctx, scope, person.user_id);
  // A re-hire gives back the account SCIM took away, when the provider signs people in.
  const rehired = doc.active && changes.endDate === null;
  if (rehired && person.user_id && (await ssoAccountPolicy(scope.tx))) {
    await reactivateUserIn(ctx, scope, person.user_id);
  }
}

async function endEmployment(ctx: Context, scope: ChangeScope, personId: string) {
  const person = await personRow(scope.tx, personId);
  const today = isoDay(new Date());
  if (person.end_date === null || person.end_date > today) {
    await changePersonIn(
      ctx,
      scope,
      person.id,
      { endDate: today },
      {
        action: "person.offboarded",
        reason: "Deleted by the identity provider (SCIM)",
      },
    );
  }
  if (person.user_id) await deactivateUserIn(ctx, scope, person.user_id);
}

async function checkUserNameFree(tx: Tx, userName: string, exceptId: string | null) {
  let query = tx
    .selectFrom("scim_users")
    .select("id")
    .where(sql`lower(user_name)`, "=", userName.toLowerCase())
    .where("deleted_at", "is", null);
  if (exceptId) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst()) {
    throw scimErrors.uniqueness(`userName "${userName}" is already provisioned.`);
  }
}

async function managerPerson(tx: Tx, managerId: string | null, self: ScimUser | null) {
  if (!managerId) return null;
  if (self && managerId === self.id)
    throw scimErrors.invalidValue("A user cannot manage themself.");
  const uuid = scimId(managerId);
  const manager = uuid
    ? await tx
        .selectFrom("scim_users")
        .select("person_id")
        .where("id", "=", uuid)
        .where("deleted_at", "is", null)
        .executeTakeFirst()
    : undefined;
  if (!manager) throw scimErrors.invalidValue(`manager: no user ${managerId}`);
  return manager.person_id;
}

function requiredEmail(doc: UserDoc): string {
  const email = personEmail(doc.emails, doc.userName);
  if (!email)
    throw scimErrors.invalidValue("emails: a user needs an email (or an email as userName)");
  return email.toLowerCase();
}

function personName(doc: UserDoc): string {
  const parts = [doc.givenName, doc.familyName].filter(Boolean).join(" ");
  return (doc.displayName ?? (parts || null) ?? doc.userName).slice(0, 200);
}

function columnsOf(doc: UserDoc) {
  return {
    user_name: doc.userName,
    external_id: doc.externalId,
    active: doc.active,
    given_name: doc.givenName,
    family_name: doc.familyName,
    display_name: doc.displayName,
    title: doc.title,
    emails: JSON.stringify(doc.emails),
    department: doc.department,
    employee_number: doc.employeeNumber,
    manager_id: doc.managerId,
  };
}

function auditView(row: ScimUser): Json {
  return {
    scimId: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    active: row.active,
    department: row.department,
    employeeNumber: row.employee_number,
    managerScimId: row.manager_id,
  };
}
