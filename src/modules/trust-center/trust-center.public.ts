import type { FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Deps } from "../../platform/deps.ts";
import { matchesEtag, sendAsset } from "../../platform/http/conditional.ts";
import type { App } from "../../platform/http/types.ts";
import { themeStylesheet, trustStylesheet } from "../../public-site/assets.ts";
import { renderNotFound } from "../../public-site/layout.ts";
import { isTrustHost, type TrustSite } from "../../public-site/site.ts";
import { loadTrustSite, siteOf } from "./trust-center.queries.ts";
import { loadLogo } from "./trust-logo.ts";
import { renderHome, renderPolicyPage } from "./trust-page.ts";
import {
  freshPublicState,
  hashOf,
  type PublicState,
  publicState,
  watchPublicState,
} from "./trust-state.ts";

/**
 * Revalidated on every use (max-age=0, must-revalidate) with a strong ETag: a control that
 * stops passing must not keep showing as in place from a browser's or proxy's cache, and the
 * revalidation costs one 304 from memory.
 */
const PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate";
const HTML = "text/html; charset=utf-8";
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

interface CachedPage {
  stamp: string;
  body: Buffer;
  etag: string;
}

/** Rendered home pages per database handle, by organization and base path. */
const pages = new WeakMap<Kysely<Database>, Map<string, CachedPage>>();
const rendering = new WeakMap<Kysely<Database>, Map<string, Promise<CachedPage>>>();

function mapOf<V>(store: WeakMap<Kysely<Database>, Map<string, V>>, db: Kysely<Database>) {
  let map = store.get(db);
  if (!map) {
    map = new Map();
    store.set(db, map);
  }
  return map;
}

/** What the home page depends on besides its stamp: the base path, and whether mail is on. */
function pageKey(state: PublicState, site: TrustSite): string {
  return `${state.organizationId}|${site.basePath}|${site.mail ? "mail" : "no-mail"}`;
}

/**
 * The home page from memory while its stamp holds; rendered once (concurrent requests share
 * the rendering) when it changes. A page missing a failed section is served but not kept.
 */
function cachedHomePage(deps: Deps, state: PublicState, site: TrustSite) {
  const hit = pages.get(deps.db)?.get(pageKey(state, site));
  return hit && hit.stamp === state.stamp ? hit : undefined;
}

async function homePage(
  deps: Deps,
  request: FastifyRequest,
  state: PublicState,
  site: TrustSite,
): Promise<CachedPage> {
  const key = pageKey(state, site);
  const cache = mapOf(pages, deps.db);
  const hit = cache.get(key);
  if (hit && hit.stamp === state.stamp) return hit;
  const inFlight = mapOf(rendering, deps.db);
  const flightKey = `${key}|${state.stamp}`;
  const pending = inFlight.get(flightKey);
  if (pending) return pending;
  const work = (async () => {
    const result = await withTenant(deps.db, state.organizationId, (tx) =>
      renderHome(tx, site, state.settings, (section, error) =>
        request.log.error({ err: error, section }, "a trust center section failed to render"),
      ),
    );
    const body = Buffer.from(result.body);
    const page = { stamp: state.stamp, body, etag: `"${hashOf(body).slice(0, 27)}"` };
    if (!result.incomplete) cache.set(key, page);
    return page;
  })();
  inFlight.set(flightKey, work);
  try {
    return await work;
  } finally {
    inFlight.delete(flightKey);
  }
}

async function notFound(deps: Deps, request: FastifyRequest, reply: FastifyReply, message: string) {
  let site: TrustSite;
  try {
    site = await loadTrustSite(deps, request);
  } catch {
    site = { organizationId: "", companyName: "Trust Center", basePath: "/trust" };
  }
  return reply
    .code(404)
    .type(HTML)
    .header("cache-control", "no-store")
    .send(renderNotFound(site, message));
}

const OFFLINE = "This trust center is not published at the moment. Please come back later.";

/** The public trust center pages, at /trust and at the root of ATTEST_TRUST_HOST. */
export function trustCenterPublicRoutes(app: App, deps: Deps): void {
  trustStylesheet(); // read the shared stylesheet once, at start
  const stopWatching = watchPublicState(deps);
  app.addHook("onClose", async () => stopWatching());

  app.get("/trust", { schema: { hide: true } }, async (request, reply) => {
    // The hot path: state and page from memory, no database, no waiting when both are fresh.
    const state = (freshPublicState(deps) ?? { value: await publicState(deps) }).value;
    if (!state?.online) return notFound(deps, request, reply, OFFLINE);
    const site = siteOf(deps, request, state);
    const page = cachedHomePage(deps, state, site) ?? (await homePage(deps, request, state, site));
    reply.header("etag", page.etag).header("cache-control", PAGE_CACHE_CONTROL);
    if (matchesEtag(request, page.etag)) return reply.code(304).send();
    return reply.type(HTML).send(page.body);
  });

  app.get(
    "/trust/policies/:id",
    { schema: { hide: true, params: z.object({ id: z.string() }) } },
    async (request, reply) => policyPage(request, reply, request.params.id),
  );
  app.get(
    "/trust/policies/:id/versions/:version",
    {
      schema: {
        hide: true,
        params: z.object({ id: z.string(), version: z.string() }),
      },
    },
    async (request, reply) => {
      const version = /^[1-9]\d{0,5}$/.test(request.params.version)
        ? Number(request.params.version)
        : undefined;
      if (version === undefined) {
        return notFound(deps, request, reply, "There is no such version of this document.");
      }
      return policyPage(request, reply, request.params.id, version);
    },
  );

  async function policyPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    version?: number,
  ) {
    const state = await publicState(deps);
    if (!state?.online) return notFound(deps, request, reply, OFFLINE);
    const site = siteOf(deps, request, state);
    const isId = z.uuid().safeParse(id).success;
    const body = isId
      ? await withTenant(deps.db, state.organizationId, (tx) =>
          renderPolicyPage(tx, site, id, version),
        )
      : undefined;
    if (!body) return notFound(deps, request, reply, "There is no such public document.");
    const etag = `"${hashOf(body).slice(0, 27)}"`;
    reply.header("etag", etag).header("cache-control", PAGE_CACHE_CONTROL);
    if (matchesEtag(request, etag)) return reply.code(304).send();
    return reply.type(HTML).send(body);
  }

  app.get("/trust/assets/trust.css", { schema: { hide: true } }, async (request, reply) => {
    const sheet = trustStylesheet();
    return sendAsset(request, reply, "text/css; charset=utf-8", sheet.body, sheet.hash);
  });

  app.get("/trust/assets/theme.css", { schema: { hide: true } }, async (request, reply) => {
    const state = await publicState(deps);
    if (!state?.online) return reply.code(404).type("text/css").send("");
    const body = Buffer.from(themeStylesheet(state.settings));
    return sendAsset(request, reply, "text/css; charset=utf-8", body, state.themeHash);
  });

  app.get(
    "/trust/assets/logo",
    {
      schema: { hide: true },
      onSend: async (_request, reply, payload) => {
        if (String(reply.getHeader("content-type")).startsWith("image/svg+xml")) {
          reply.header("content-security-policy", SVG_CSP);
        }
        return payload;
      },
    },
    async (request, reply) => {
      const state = await publicState(deps);
      if (!state?.online || !state.logo) return reply.code(404).type("text/plain").send("");
      const { id: logoId, sha256 } = state.logo;
      // A revalidation is answered from the state, without reading the image.
      if (matchesEtag(request, `"${sha256.slice(0, 16)}"`)) {
        return sendAsset(request, reply, "", Buffer.alloc(0), sha256.slice(0, 16));
      }
      const logo = await withTenant(deps.db, state.organizationId, (tx) => loadLogo(tx, logoId));
      if (!logo) return reply.code(404).type("text/plain").send("");
      return sendAsset(request, reply, logo.contentType, logo.data, logo.sha256.slice(0, 16));
    },
  );

  // "/trust/" is the trust center too.
  app.get("/trust/", { schema: { hide: true } }, async (request, reply) =>
    reply.redirect(isTrustHost(deps, request) ? "/" : "/trust", 301),
  );

  // Anything else under the trust center is a friendly 404 page, not the web app.
  app.get("/trust/*", { schema: { hide: true } }, async (request, reply) =>
    notFound(deps, request, reply, "There is no such page on this trust center."),
  );
}
