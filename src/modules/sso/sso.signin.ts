import { type Kysely, sql } from "kysely";
import type { SsoProvider } from "../../db/tables/sso.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database, User } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { createSession, type NewSession, type SessionPolicy } from "../auth/sessions.service.ts";
import { applyChange } from "../change.ts";
import { userByEmail } from "../users/users.queries.ts";
import { providerMfaSatisfied, provisionAccount, refusalFor } from "./sso.accounts.ts";
import {
  authorizationRequest,
  discoverProvider,
  exchangeCode,
  ProviderAnswerError,
} from "./sso.oidc.ts";

/**
 * A sign-in through the organization's identity provider: `startSsoSignIn` sends the browser
 * to the provider with a fresh state, nonce and PKCE challenge (kept, sealed, in `sso_logins`
 * and bound to the browser by a cookie); `completeSsoSignIn` takes the browser back, spends
 * the state once, lets openid-client validate the ID token, applies the organization's rules
 * (verified email in an allowed domain, account active, employment not ended), creates or
 * updates the account, and opens the same server-side session the password sign-in opens.
 */

export interface SsoDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  sessionPolicy: SessionPolicy;
  allowHttpIssuer: boolean;
}

/** How long a sign-in may stay at the provider. */
const LOGIN_MINUTES = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A refused single sign-on: `reason` is one of SSO_REFUSALS (src/domain/audit-actions-sso.ts). */
export class SsoRefusal extends Error {
  constructor(
    readonly reason: string,
    detail = "",
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/**
 * The enabled provider for `organization` (the organization's id, an email address or an
 * email domain it allows); without one, the installation's only enabled provider.
 */
export async function providerFor(
  db: Kysely<Database>,
  organization: string | undefined,
): Promise<SsoProvider | undefined> {
  return withSystem(db, async (tx) => {
    const enabled = tx.selectFrom("sso_providers").selectAll().where("enabled", "=", true);
    if (!organization) {
      const rows = await enabled.orderBy("created_at").limit(2).execute();
      return rows.length === 1 ? rows[0] : undefined;
    }
    if (UUID.test(organization)) {
      return enabled.where("organization_id", "=", organization).executeTakeFirst();
    }
    const domain = organization.slice(organization.lastIndexOf("@") + 1);
    return enabled
      .where(sql<boolean>`${domain} = any(allowed_domains)`)
      .orderBy("created_at")
      .executeTakeFirst();
  });
}

export async function startSsoSignIn(
  deps: SsoDeps,
  input: { organization: string | undefined; redirectUri: string },
): Promise<{ url: string; browserToken: string }> {
  const provider = await providerFor(deps.db, input.organization);
  if (!provider) throw new SsoRefusal("not_configured");
  const config = await discover(deps, provider);
  const request = await authorizationRequest(config, input.redirectUri);
  const browserToken = randomToken(32);
  const now = new Date();
  await withTenant(deps.db, provider.organization_id, async (tx) => {
    // Sign-ins abandoned at the provider are forgotten a day after they lapsed.
    await tx
      .deleteFrom("sso_logins")
      .where("expires_at", "<", new Date(now.getTime() - 86_400_000))
      .execute();
    await tx
      .insertInto("sso_logins")
      .values({
        organization_id: provider.organization_id,
        state_hash: sha256Hex(request.state),
        browser_hash: sha256Hex(browserToken),
        nonce_enc: deps.keyring.seal(request.nonce),
        verifier_enc: deps.keyring.seal(request.codeVerifier),
        redirect_uri: input.redirectUri,
        expires_at: new Date(now.getTime() + LOGIN_MINUTES * 60_000),
      })
      .execute();
  });
  return { url: request.url.href, browserToken };
}

export interface CallbackRequest {
  query: Record<string, string>;
  browserToken: string | undefined;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export type SsoResult =
  | { status: "ok"; session: NewSession; userId: string }
  | { status: "mfa_required"; session: NewSession };

export async function completeSsoSignIn(
  deps: SsoDeps,
  request: CallbackRequest,
): Promise<SsoResult> {
  const login = await spendState(deps.db, request.query.state);
  if (!login) {
    await recordReplay(deps, request);
    throw new SsoRefusal("expired");
  }
  const organizationId = login.organization_id;
  let email: string | null = null;
  let user: User | undefined;
  try {
    if (!request.browserToken || sha256Hex(request.browserToken) !== login.browser_hash) {
      throw new SsoRefusal("other_browser");
    }
    const provider = await withTenant(deps.db, organizationId, (tx) =>
      tx.selectFrom("sso_providers").selectAll().where("enabled", "=", true).executeTakeFirst(),
    );
    if (!provider) throw new SsoRefusal("not_configured");
    const config = await discover(deps, provider);
    const callbackUrl = new URL(login.redirect_uri);
    for (const [key, value] of Object.entries(request.query)) {
      callbackUrl.searchParams.set(key, value);
    }
    const identity = await exchangeCode(config, callbackUrl, {
      state: request.query.state ?? "",
      nonce: deps.keyring.open(login.nonce_enc),
      codeVerifier: deps.keyring.open(login.verifier_enc),
    }).catch((error: unknown) => {
      if (error instanceof ProviderAnswerError) throw new SsoRefusal(error.reason, error.message);
      throw error;
    });
    email = identity.email;
    user = email ? await withSystem(deps.db, (tx) => userByEmail(tx, email as string)) : undefined;
    const refusal = await refusalFor(
      deps.db,
      organizationId,
      provider,
      identity,
      user,
      isoDay(new Date()),
    );
    if (refusal) throw new SsoRefusal(refusal);
    const account = await provisionAccount(
      systemContext(deps, organizationId, request.requestId),
      provider,
      identity,
      user,
    );
    user = account;
    const providerMfa = providerMfaSatisfied(provider, identity);
    if (account.mfa_enabled_at && !providerMfa) {
      // Attest's own second factor is still due: the sign-in page asks for the code.
      const session = await withTenant(deps.db, organizationId, (tx) =>
        createSession(tx, {
          organizationId,
          userId: account.id,
          mfaPending: true,
          policy: deps.sessionPolicy,
          ip: request.ip,
          userAgent: request.userAgent,
        }),
      );
      return { status: "mfa_required", session };
    }
    const ctx: Context = {
      db: deps.db,
      organizationId,
      actor: { type: "user", userId: account.id, name: account.name, role: account.role },
      requestId: request.requestId,
    };
    const session = await applyChange(ctx, null, async ({ tx, audit }) => {
      const created = await createSession(tx, {
        organizationId,
        userId: account.id,
        mfaPending: false,
        providerMfa,
        policy: deps.sessionPolicy,
        ip: request.ip,
        userAgent: request.userAgent,
      });
      await audit({
        action: "auth.sso_login",
        targetType: "user",
        targetId: account.id,
        after: {
          sessionId: created.sessionId,
          provider: provider.name,
          issuer: identity.issuer,
          amr: identity.amr,
          acr: identity.acr,
          providerMfa,
          ip: request.ip,
        },
      });
      return created;
    });
    return { status: "ok", session, userId: account.id };
  } catch (error) {
    if (error instanceof SsoRefusal) {
      // An account of another organization is not named in this one's trail.
      if (user && user.organization_id !== organizationId) user = undefined;
      await recordStandaloneEvent(deps.db, {
        organizationId,
        actor: { type: "anonymous" },
        action: "auth.sso_login_failed",
        targetType: user ? "user" : "sso_provider",
        targetId: user?.id ?? null,
        after: { reason: error.reason, email, detail: error.message, ip: request.ip },
        requestId: request.requestId,
      });
    }
    throw error;
  }
}

/** Spends a state once: the second arrival of the same state finds nothing. */
async function spendState(db: Kysely<Database>, state: string | undefined) {
  if (!state) return undefined;
  return withSystem(db, (tx) =>
    tx
      .updateTable("sso_logins")
      .set({ used_at: new Date() })
      .where("state_hash", "=", sha256Hex(state))
      .where("used_at", "is", null)
      .where("expires_at", ">", new Date())
      .returningAll()
      .executeTakeFirst(),
  );
}

/** A state already spent or lapsed is in the trail of the organization it was made for. */
async function recordReplay(deps: SsoDeps, request: CallbackRequest) {
  const state = request.query.state;
  if (!state) return;
  const seen = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("sso_logins")
      .select(["organization_id", "used_at"])
      .where("state_hash", "=", sha256Hex(state))
      .executeTakeFirst(),
  );
  if (!seen) return;
  await recordStandaloneEvent(deps.db, {
    organizationId: seen.organization_id,
    actor: { type: "anonymous" },
    action: "auth.sso_login_failed",
    targetType: "sso_provider",
    targetId: null,
    after: { reason: "expired", replayed: seen.used_at !== null, ip: request.ip },
    requestId: request.requestId,
  });
}

async function discover(deps: SsoDeps, provider: SsoProvider) {
  try {
    return await discoverProvider(
      {
        issuerUrl: provider.issuer_url,
        clientId: provider.client_id,
        clientSecret: deps.keyring.open(provider.client_secret_enc),
      },
      deps.allowHttpIssuer,
    );
  } catch (error) {
    throw new SsoRefusal("provider_unreachable", error instanceof Error ? error.message : "");
  }
}

function systemContext(deps: SsoDeps, organizationId: string, requestId: string): Context {
  return {
    db: deps.db,
    organizationId,
    actor: { type: "system", name: "single sign-on" },
    requestId,
  };
}
