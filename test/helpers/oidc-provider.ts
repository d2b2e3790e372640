import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type JWK } from "oidc-provider";

/**
 * A real OpenID provider (the certified `oidc-provider`) on 127.0.0.1 with an ephemeral port,
 * for single sign-on tests. Its login page is a plain form (email, password) that signs the
 * account in and grants the requested scopes at once. The test can change its clients and
 * accounts, rotate its signing keys, and make it misbehave the ways a provider can:
 *
 * - `jwks: "foreign"`: its published key set no longer matches the key it signs with (same
 *   `kid`, other key): every ID token's signature is bad;
 * - `issueTo`: it issues codes and tokens to another of its clients (the wrong audience);
 * - `clockSkewSeconds` with `idTokenTtlSeconds`: its clock runs behind while it answers the
 *   token request, so the ID token it signs has already expired.
 *
 * The provider is rebuilt on a change of clients or keys; its grants, codes and sessions live
 * in oidc-provider's in-memory store, which the instances share.
 */

export interface ProviderAccount {
  email: string;
  password?: string;
  name?: string;
  emailVerified?: boolean;
  groups?: string[];
  amr?: string[];
  acr?: string;
}

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface ProviderFaults {
  jwks?: "foreign";
  issueTo?: { clientId: string; clientSecret: string };
  clockSkewSeconds?: number;
  idTokenTtlSeconds?: number;
}

export const ACCOUNT_PASSWORD = "provider password";

export interface TestOidcProvider {
  issuer: string;
  setClients(clients: ProviderClient[]): void;
  setAccount(account: ProviderAccount): void;
  /** A new signing key, published and used from now on; the old one stays published. */
  rotateKeys(): string;
  currentKid(): string;
  setFaults(faults: ProviderFaults): void;
  /** The header of the last ID token the provider issued. */
  lastIdTokenHeader(): { kid?: string; alg?: string } | null;
  close(): Promise<void>;
}

function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: "jwk" }),
    kid: randomUUID(),
    alg: "RS256",
    use: "sig",
  } as JWK;
}

function publicPart(key: JWK): JWK {
  const { kty, n, e, kid, alg, use } = key;
  return { kty, n, e, kid, alg, use } as JWK;
}

export async function startOidcProvider(
  options: { clients?: ProviderClient[]; accounts?: ProviderAccount[] } = {},
): Promise<TestOidcProvider> {
  const accounts = new Map<string, ProviderAccount>();
  for (const account of options.accounts ?? []) accounts.set(account.email, account);
  let clients = options.clients ?? [];
  let keys: JWK[] = [signingKey()];
  let faults: ProviderFaults = {};
  let lastIdToken: string | null = null;
  let provider: Provider;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function build() {
    const configuration: Configuration = {
      clients: clients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: c.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      })),
      findAccount: async (_ctx, sub) => {
        const account = accounts.get(sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          claims: async () => ({
            sub,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name ?? account.email,
            groups: account.groups ?? [],
          }),
        };
      },
      claims: {
        // amr and acr of the login go into every ID token, as Okta's and Entra's do.
        openid: ["sub", "amr", "acr", "auth_time"],
        email: ["email", "email_verified"],
        profile: ["name"],
        groups: ["groups"],
      },
      scopes: ["openid", "email", "profile", "groups"],
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      jwks: { keys },
      cookies: { keys: ["attest-test-provider-cookie-key"] },
      pkce: { required: () => true },
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 60,
        Grant: 3600,
        ["IdToken" as string]: () => faults.idTokenTtlSeconds ?? 3600,
        Interaction: 600,
        Session: 3600,
      },
    };
    provider = new Provider(issuer, configuration);
  }
  build();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", issuer);
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (interaction) return handleInteraction(req, res, Boolean(interaction[2]));
    if (url.pathname === "/jwks" && faults.jwks === "foreign") {
      // The published key no longer matches the signing key: same kid, another key.
      const foreign = { ...publicPart(signingKey()), kid: keys[0]?.kid };
      res.setHeader("content-type", "application/jwk-set+json");
      return res.end(JSON.stringify({ keys: [foreign] }));
    }
    if (faults.issueTo) {
      if (url.pathname === "/auth" && url.searchParams.has("client_id")) {
        url.searchParams.set("client_id", faults.issueTo.clientId);
        req.url = `${url.pathname}${url.search}`;
      }
      if (url.pathname === "/token") {
        const basic = `${encodeURIComponent(faults.issueTo.clientId)}:${encodeURIComponent(faults.issueTo.clientSecret)}`;
        req.headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
      }
    }
    if (url.pathname === "/token") captureIdToken(res);
    const skew = url.pathname === "/token" ? (faults.clockSkewSeconds ?? 0) : 0;
    if (skew !== 0) {
      // The provider's clock runs behind while it answers this request, and only then.
      const realNow = Date.now;
      Date.now = () => realNow() + skew * 1000;
      res.on("close", () => {
        Date.now = realNow;
      });
    }
    provider.callback()(req, res);
  }

  function captureIdToken(res: http.ServerResponse) {
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) {
        try {
          const body = JSON.parse(chunk.toString()) as { id_token?: string };
          if (body.id_token) lastIdToken = body.id_token;
        } catch {
          // not a token answer
        }
      }
      // biome-ignore lint/suspicious/noExplicitAny: forwarding whatever Koa passes
      return (end as any)(chunk, ...rest);
    }) as typeof res.end;
  }

  async function handleInteraction(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    submitted: boolean,
  ) {
    const details = await provider.interactionDetails(req, res);
    if (!submitted) return loginPage(res, details.uid, null);
    const form = new URLSearchParams(await readBody(req));
    const account = accounts.get(form.get("login") ?? "");
    if (!account || (account.password ?? ACCOUNT_PASSWORD) !== form.get("password")) {
      return loginPage(res, details.uid, "Wrong email or password.");
    }
    const grant = new provider.Grant({
      accountId: account.email,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      {
        login: {
          accountId: account.email,
          ...(account.amr ? { amr: account.amr } : {}),
          ...(account.acr ? { acr: account.acr } : {}),
        },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    setClients(next) {
      clients = next;
      build();
    },
    setAccount(account) {
      accounts.set(account.email, account);
    },
    rotateKeys() {
      const key = signingKey();
      keys = [key, ...keys];
      build();
      return key.kid as string;
    },
    currentKid: () => keys[0]?.kid as string,
    setFaults(next) {
      faults = next;
    },
    lastIdTokenHeader() {
      if (!lastIdToken) return null;
      const [header] = lastIdToken.split(".");
      return JSON.parse(Buffer.from(header ?? "", "base64url").toString());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function loginPage(res: http.ServerResponse, uid: string, error: string | null) {
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(`<!doctype html><html lang="en"><head><title>Test provider: sign in</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<label>Email <input name="login" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in at the provider</button>
</form></main></body></html>`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
