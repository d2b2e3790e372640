import type { FastifyReply, FastifyRequest } from "fastify";
import { withTenant } from "../../db/tenant.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { matchesEtag } from "../../platform/http/conditional.ts";
import { handleError } from "../../platform/http/problem.ts";
import type { App } from "../../platform/http/types.ts";
import { html, type SafeHtml } from "../../public-site/html.ts";
import { renderNotFound, renderTrustPage } from "../../public-site/layout.ts";
import { publicBaseOf } from "../../public-site/links.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import { organizationCreatedAt } from "../organizations/organizations.queries.ts";
import { loadTrustSite } from "../trust-center/trust-center.queries.ts";
import { FEED_SIZE, renderFeed } from "./notices.feed.ts";
import {
  messagePage,
  noSubscriptionMessage,
  noSubscriptionPage,
  noticeListPage,
  noticePage,
  subscribeForm,
} from "./notices.pages.ts";
import { feedNotices, publicNotice, publicNoticePage } from "./notices.public-data.ts";
import { subscribeBody } from "./notices.schema.ts";
import {
  CONFIRM_HOURS,
  confirmationState,
  confirmSubscription,
  sendConfirmationMail,
  subscribe,
  unsubscribe,
  unsubscribeTokenKnown,
} from "./notices.subscriptions.ts";

/** Subscription requests per client address; the same answer whatever the address. */
export const SUBSCRIBE_RATE_LIMIT = { max: 10, timeWindow: "1 hour" };
const PAGE_SIZE = 20;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const HTML = "text/html; charset=utf-8";
const SUBSCRIBED_MESSAGE =
  "If this address can receive our notices, a mail with a link to confirm the subscription is on its way. Nothing is sent to you until you confirm.";

/** A form post or a browser asks for HTML back; a JSON body gets JSON (problem+json on error). */
function wantsHtml(request: FastifyRequest): boolean {
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) return false;
  return (
    type.startsWith("application/x-www-form-urlencoded") ||
    (request.headers.accept ?? "").includes("text/html")
  );
}

function page(site: TrustSite, title: string, main: SafeHtml): string {
  return renderTrustPage(site, { title, main });
}

/**
 * Sends a public page or feed with an ETag of its bytes (and Last-Modified when known); a
 * matching If-None-Match, or else a not-older If-Modified-Since, gets 304 without a body.
 */
function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  options: { type: string; cacheControl: string; lastModified?: Date },
) {
  const etag = `"${sha256Hex(body).slice(0, 32)}"`;
  reply.header("etag", etag).header("cache-control", options.cacheControl);
  if (options.lastModified) reply.header("last-modified", options.lastModified.toUTCString());
  const ifNoneMatch = request.headers["if-none-match"];
  const ifModifiedSince = request.headers["if-modified-since"];
  let notModified = false;
  if (ifNoneMatch !== undefined) {
    notModified = matchesEtag(request, etag);
  } else if (ifModifiedSince && options.lastModified) {
    const since = Date.parse(ifModifiedSince);
    notModified =
      !Number.isNaN(since) && Math.floor(options.lastModified.getTime() / 1000) * 1000 <= since;
  }
  if (notModified) return reply.code(304).send();
  return reply.type(options.type).send(body);
}

const OFFLINE = "This trust center is not published at the moment. Please come back later.";

/** Notices are part of the trust center: while it is offline, so are they (unsubscribing works). */
function offline(reply: FastifyReply, site: TrustSite) {
  return sendPage(reply, 404, renderNotFound(site, OFFLINE));
}

function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .type(HTML)
    .header("cache-control", "no-store")
    .header("x-robots-tag", "noindex")
    .send(body);
}

/** Public notices: pages, the Atom feed, subscription with double opt-in, unsubscribe. */
export function noticesPublicRoutes(app: App, deps: Deps): void {
  app.register(async (scope) => {
    const typed = scope as unknown as App;

    // RFC 8058 lets a mail client send the one-click POST as multipart/form-data; nothing of
    // ours reads such a body, so it is accepted and dropped (small, and never parsed).
    scope.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "string", bodyLimit: 16_384 },
      (_request, _body, done) => done(null, {}),
    );

    // A form gets its page back with the message; JSON clients get problem+json as anywhere.
    scope.setErrorHandler(async (error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 429 && wantsHtml(request)) {
        const site = await loadTrustSite(deps, request);
        return sendPage(
          reply,
          429,
          page(
            site,
            "Subscribe to notices",
            html`<h1>Subscribe to notices</h1>${subscribeForm(site, {
              error: "Too many requests from your network. Wait a while and try again.",
            })}`,
          ),
        );
      }
      return handleError(error as Error, request, reply);
    });

    typed.get("/trust/notices", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      if (!site.online) return offline(reply, site);
      const requested = (request.query as Record<string, unknown>).page;
      const number = requested === undefined ? 1 : Number(requested);
      if (!Number.isInteger(number) || number < 1 || number > 100_000) {
        return sendPage(
          reply,
          404,
          page(site, "Not found", messagePage("Not found", "There is no such page of notices.")),
        );
      }
      const { items, hasMore } = await withTenant(deps.db, site.organizationId, (tx) =>
        publicNoticePage(tx, site.organizationId, number, PAGE_SIZE),
      );
      return sendCached(
        request,
        reply,
        page(site, "Notices", noticeListPage(site, items, number, hasMore)),
        {
          type: HTML,
          cacheControl: "public, no-cache",
        },
      );
    });

    typed.get("/trust/notices/:id", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      if (!site.online) return offline(reply, site);
      const id = (request.params as { id: string }).id;
      const notice = /^[0-9a-f-]{36}$/i.test(id)
        ? await withTenant(deps.db, site.organizationId, (tx) =>
            publicNotice(tx, site.organizationId, id),
          )
        : null;
      if (!notice) {
        return sendPage(
          reply,
          404,
          page(
            site,
            "Not found",
            messagePage("Notice not found", "There is no published notice at this address."),
          ),
        );
      }
      return sendCached(request, reply, page(site, notice.title, noticePage(site, notice)), {
        type: HTML,
        cacheControl: "public, no-cache",
        lastModified: notice.updated_at,
      });
    });

    typed.get("/trust/feed.atom", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      if (!site.online) return offline(reply, site);
      const { notices, createdAt } = await withTenant(deps.db, site.organizationId, async (tx) => ({
        notices: await feedNotices(tx, site.organizationId, FEED_SIZE),
        createdAt: await organizationCreatedAt(tx, site.organizationId),
      }));
      const { xml, updated } = renderFeed({
        organizationId: site.organizationId,
        companyName: site.companyName,
        base: publicBaseOf(deps, request),
        notices,
        fallbackUpdated: createdAt,
      });
      return sendCached(request, reply, xml, {
        type: "application/atom+xml; charset=utf-8",
        cacheControl: "public, max-age=300",
        lastModified: updated,
      });
    });

    typed.post(
      "/trust/subscriptions",
      { config: { rateLimit: SUBSCRIBE_RATE_LIMIT } },
      async (request, reply) => {
        const site = await loadTrustSite(deps, request);
        if (!site.online) {
          if (wantsHtml(request)) return offline(reply, site);
          throw new AppError("not_found", OFFLINE);
        }
        const form = wantsHtml(request);
        const title = "Subscribe to notices";
        // No outgoing mail: the pages offer no subscription, and a post made anyway (an old
        // page, a script) is told plainly that there is none, and where to follow notices.
        if (!deps.mailer) {
          if (form) return sendPage(reply, 404, page(site, title, noSubscriptionPage(site)));
          throw new AppError("not_found", noSubscriptionMessage(site));
        }
        const parsed = subscribeBody.safeParse(request.body ?? {});
        if (!parsed.success) {
          if (form) {
            const sent = (request.body as Record<string, unknown> | null)?.email;
            return sendPage(
              reply,
              400,
              page(
                site,
                title,
                html`<h1>${title}</h1>${subscribeForm(site, {
                  email: typeof sent === "string" ? sent.slice(0, 254) : "",
                  error: "Enter a valid email address.",
                })}`,
              ),
            );
          }
          throw errors.validation("email", "must be a valid email address");
        }
        const mail = await subscribe(deps, site, parsed.data.email);
        if (mail) {
          // Not awaited: the answer must not take longer for a new address than a known one.
          void sendConfirmationMail(deps, site, publicBaseOf(deps, request), mail).catch(
            (error: unknown) =>
              request.log.error({ err: error }, "could not send the subscription confirmation"),
          );
        }
        if (form) {
          return sendPage(
            reply,
            200,
            page(site, "Check your inbox", messagePage("Check your inbox", SUBSCRIBED_MESSAGE)),
          );
        }
        return reply.code(202).send({ message: SUBSCRIBED_MESSAGE });
      },
    );

    const invalidLink = (site: TrustSite, reply: FastifyReply, expired: boolean) =>
      sendPage(
        reply,
        expired ? 410 : 404,
        page(
          site,
          "Subscription",
          html`${messagePage(
            expired ? "This link has expired" : "This link is not valid",
            expired
              ? `Confirmation links work for ${CONFIRM_HOURS} hours. Subscribe again to get a new one.`
              : "The link is wrong, or it has already been used. Subscribe again if you need a new one.",
          )}${subscribeForm(site)}`,
        ),
      );

    typed.get("/trust/subscriptions/confirm/:token", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const { token } = request.params as { token: string };
      const state = TOKEN.test(token) ? await confirmationState(deps, site, token) : "unknown";
      if (state !== "valid") return invalidLink(site, reply, state === "expired");
      return sendPage(
        reply,
        200,
        page(
          site,
          "Confirm your subscription",
          messagePage(
            "Confirm your subscription",
            `Press the button to receive notices from ${site.companyName} by email.`,
            {
              url: trustLink(site, `/subscriptions/confirm/${token}`),
              label: "Confirm subscription",
            },
          ),
        ),
      );
    });

    typed.post("/trust/subscriptions/confirm/:token", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const { token } = request.params as { token: string };
      const state = TOKEN.test(token) ? await confirmSubscription(deps, site, token) : "unknown";
      if (state !== "valid") return invalidLink(site, reply, state === "expired");
      return sendPage(
        reply,
        200,
        page(
          site,
          "Subscribed",
          messagePage(
            "You are subscribed",
            `You will receive notices from ${site.companyName} by email. Every mail has a link to unsubscribe.`,
          ),
        ),
      );
    });

    const unknownUnsubscribe = (site: TrustSite, reply: FastifyReply) =>
      sendPage(
        reply,
        404,
        page(
          site,
          "Unsubscribe",
          messagePage(
            "This link is not valid",
            "Check that the whole link from the mail was used.",
          ),
        ),
      );

    typed.get("/trust/subscriptions/unsubscribe/:token", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const { token } = request.params as { token: string };
      if (!TOKEN.test(token) || !(await unsubscribeTokenKnown(deps, site, token))) {
        return unknownUnsubscribe(site, reply);
      }
      return sendPage(
        reply,
        200,
        page(
          site,
          "Unsubscribe",
          messagePage("Unsubscribe", `Stop receiving notices from ${site.companyName} by email.`, {
            url: trustLink(site, `/subscriptions/unsubscribe/${token}`),
            label: "Unsubscribe",
          }),
        ),
      );
    });

    // RFC 8058 one-click: a POST unsubscribes at once, and a repeated POST still answers 200.
    typed.post("/trust/subscriptions/unsubscribe/:token", async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const { token } = request.params as { token: string };
      if (!TOKEN.test(token) || !(await unsubscribe(deps, site, token))) {
        return unknownUnsubscribe(site, reply);
      }
      return sendPage(
        reply,
        200,
        page(
          site,
          "Unsubscribed",
          html`${messagePage(
            "You are unsubscribed",
            `You will not receive more notices from ${site.companyName} by email.`,
          )}<p><a href="${trustLink(site, "/notices")}">Notices</a> stay on the trust center.</p>`,
        ),
      );
    });
  });
}
