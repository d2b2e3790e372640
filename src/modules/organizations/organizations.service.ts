import { type Kysely, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database, Organization } from "../../db/types.ts";
import {
  type CompanyProfile,
  type CompanyProfilePatch,
  mergeCompanyProfile,
  resolveCompanyProfile,
} from "../../domain/company-profile.ts";
import { resolveSettings, type Settings } from "../../domain/settings.ts";
import type { Context } from "../../platform/context.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { assertStrongPassword } from "../../platform/password-strength.ts";
import { hashPassword } from "../../platform/passwords.ts";
import { recordAuditEvent } from "../audit-log/audit-log.service.ts";
import { announce, applyChange } from "../change.ts";
import { seedControls } from "../controls/controls.service.ts";
import { linkPersonToUser } from "../people/people.service.ts";
import { createOwnerAccount } from "../users/credentials.service.ts";
import { userIdByEmail } from "../users/users.queries.ts";

export interface NewOrganization {
  organizationName: string;
  name: string;
  email: string;
  password: string;
}

/**
 * First-run setup: creates the organization, its owner and its control catalog, once. An
 * advisory lock makes two simultaneous setups resolve to one.
 */
export async function runSetup(
  db: Kysely<Database>,
  input: NewOrganization,
  requestId: string,
  afterCreate: (tx: Tx, created: { organizationId: string; userId: string }) => Promise<void>,
) {
  assertStrongPassword("password", input.password, input);
  const passwordHash = await hashPassword(input.password);
  const created = await withSystem(db, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended('attest.setup', 0))`.execute(tx);
    const existing = await tx.selectFrom("organizations").select("id").limit(1).executeTakeFirst();
    if (existing) {
      throw new AppError("setup_already_done", "Attest is already set up; sign in instead.");
    }
    const created = await createOrganizationWithOwner(tx, input, passwordHash, requestId);
    await afterCreate(tx, created);
    return created;
  });
  // A new organization: its controls are evaluated before setup answers.
  await announce({ db, organizationId: created.organizationId }, "organization");
  return created;
}

/**
 * Creates an organization with its owner and catalog, inside the caller's transaction. Setup
 * uses it once; tests and, later, multi-organization provisioning use it directly.
 */
export async function createOrganizationWithOwner(
  tx: Tx,
  input: NewOrganization,
  passwordHash: string,
  requestId: string | null,
) {
  const email = input.email.trim().toLowerCase();
  const taken = await userIdByEmail(tx, email);
  if (taken) throw errors.conflict("A user with this email already exists.", "email");
  const organization = await tx
    .insertInto("organizations")
    .values({ name: input.organizationName.trim() })
    .returningAll()
    .executeTakeFirstOrThrow();
  const owner = await createOwnerAccount(tx, {
    organizationId: organization.id,
    email,
    name: input.name.trim(),
    passwordHash,
  });
  await linkPersonToUser(tx, {
    organizationId: organization.id,
    userId: owner.id,
    name: owner.name,
    email,
  });
  const controls = await seedControls(tx, organization.id);
  await recordAuditEvent(tx, {
    organizationId: organization.id,
    actor: { type: "user", userId: owner.id, name: owner.name, role: "owner" },
    action: "organization.created",
    targetType: "organization",
    targetId: organization.id,
    after: { name: organization.name, owner: { id: owner.id, email }, controls },
    requestId,
  });
  return { organizationId: organization.id, userId: owner.id };
}

// Other areas import it from here today; organizations.queries.ts is its home.

export interface OrganizationView {
  id: string;
  name: string;
  requireMfa: boolean;
  settings: Settings;
  companyProfile: CompanyProfile;
}

function present(row: Organization): OrganizationView {
  return {
    id: row.id,
    name: row.name,
    requireMfa: row.require_mfa,
    settings: resolveSettings(row.settings),
    companyProfile: resolveCompanyProfile(row.settings),
  };
}

/** The transaction's organization's name and company profile, to fill policy templates. */
export async function organizationFacts(
  tx: Tx,
): Promise<{ name: string; companyProfile: CompanyProfile }> {
  const row = await tx
    .selectFrom("organizations")
    .select(["name", "settings"])
    .executeTakeFirstOrThrow();
  return { name: row.name, companyProfile: resolveCompanyProfile(row.settings) };
}

export async function getOrganization(ctx: Context): Promise<OrganizationView> {
  const row = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", ctx.organizationId)
      .executeTakeFirstOrThrow(),
  );
  return present(row);
}

export async function updateOrganization(
  ctx: Context,
  changes: {
    name?: string | undefined;
    requireMfa?: boolean | undefined;
    settings?: Partial<Settings> | undefined;
    companyProfile?: CompanyProfilePatch | undefined;
  },
): Promise<OrganizationView> {
  // Periods and SLAs feed every test: a change of settings re-evaluates at once.
  return applyChange(ctx, changes.settings ? "settings" : null, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", ctx.organizationId)
      .executeTakeFirstOrThrow();
    const companyProfile = mergeCompanyProfile(
      resolveCompanyProfile(before.settings),
      changes.companyProfile ?? {},
    );
    const after = await tx
      .updateTable("organizations")
      .set({
        name: changes.name?.trim() ?? before.name,
        require_mfa: changes.requireMfa ?? before.require_mfa,
        // The company profile lives in the settings column beside the periods.
        settings: JSON.stringify({
          ...resolveSettings(before.settings),
          ...changes.settings,
          companyProfile,
        }),
        updated_at: new Date(),
      })
      .where("id", "=", ctx.organizationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "organization.updated",
      targetType: "organization",
      targetId: ctx.organizationId,
      before: {
        name: before.name,
        requireMfa: before.require_mfa,
        settings: resolveSettings(before.settings),
        companyProfile: resolveCompanyProfile(before.settings),
      },
      after: {
        name: after.name,
        requireMfa: after.require_mfa,
        settings: resolveSettings(after.settings),
        companyProfile: resolveCompanyProfile(after.settings),
      },
    });
    return present(after);
  });
}
