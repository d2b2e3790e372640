import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { handleError, sendProblem } from "../../platform/http/problem.ts";
import type { App } from "../../platform/http/types.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import { loadTrustSite } from "../trust-center/trust-center.queries.ts";
import {
  linkDownload,
  openLink,
  requestableDocuments,
  submitAccessRequest,
} from "./trust-documents.access.ts";
import { downloadName, publicDownload, validationError } from "./trust-documents.files.ts";
import {
  accessPage,
  EMPTY_FORM,
  type FormValues,
  goneLinkPage,
  messagePage,
  requestFormPage,
  requestSentPage,
} from "./trust-documents.pages.ts";
import { documentEnv, sendDownload } from "./trust-documents.routes.ts";
import { accessRequestBody } from "./trust-documents.schema.ts";

const HTML = "text/html; charset=utf-8";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Requests for access per client address: a person needs a few; a script is stopped. */
export const ACCESS_REQUEST_RATE_LIMIT = { max: 20, timeWindow: "1 hour" } as const;

/** Public pages of documents: list, request form, the requester's expiring link, downloads. */
export function trustDocumentsPublicRoutes(app: App, deps: Deps): void {
  const env = documentEnv(deps);
  const hidden = { hide: true };

  const page = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .type(HTML)
      .header("cache-control", "no-store")
      .header("x-robots-tag", "noindex")
      .send(body);

  const publicContext = (request: FastifyRequest, site: TrustSite): Context => ({
    db: deps.db,
    organizationId: site.organizationId,
    actor: { type: "anonymous" },
    requestId: request.id,
  });

  const notFound = (reply: FastifyReply, site: TrustSite) =>
    page(
      reply,
      404,
      messagePage(
        site,
        "Document not found",
        "There is no such document here, or it is no longer available.",
      ),
    );

  /**
   * Public documents of a published trust center, as listed on its page. A policy document is
   * rendered to PDF on each request, so downloads are limited per address.
   */
  app.get(
    "/trust/documents/:id",
    { schema: hidden, config: { rateLimit: { max: 60, timeWindow: "1 minute" } } },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const { id } = request.params as { id: string };
      if (!UUID.test(id) || site.online === false) return notFound(reply, site);
      const download = await publicDownload(publicContext(request, site), env, id);
      if (!download) return notFound(reply, site);
      return sendDownload(reply, download, "no-cache");
    },
  );

  app.get("/trust/request-access", { schema: hidden }, async (request, reply) => {
    const site = await loadTrustSite(deps, request);
    if (site.online === false) return notFound(reply, site);
    const query = request.query as Record<string, string | string[] | undefined>;
    const asked = [query.documents ?? []]
      .flat()
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter((value) => UUID.test(value));
    const form = await requestableDocuments({ db: deps.db, organizationId: site.organizationId });
    const ids = new Set(form.documents.map((d) => d.id));
    return page(
      reply,
      200,
      requestFormPage(site, {
        ...form,
        values: { ...EMPTY_FORM, documents: asked.filter((id) => ids.has(id)) },
        errors: [],
      }),
    );
  });

  app.get("/trust/request-access/sent", { schema: hidden }, async (request, reply) => {
    const site = await loadTrustSite(deps, request);
    const approved = (request.query as Record<string, unknown>).approved === "1";
    return page(reply, 200, requestSentPage(site, approved));
  });

  app.post(
    "/trust/access-requests",
    {
      schema: hidden,
      config: { rateLimit: ACCESS_REQUEST_RATE_LIMIT },
      // The rate limit answers before the body is read: a page for a form, a problem for JSON.
      errorHandler: async (error: FastifyError, request, reply) => {
        if (error.statusCode === 429 && wantsHtml(request)) {
          const site = await loadTrustSite(deps, request);
          return page(
            reply,
            429,
            messagePage(
              site,
              "Too many requests",
              "We have received too many requests from your network. Please try again in an hour.",
            ),
          );
        }
        if (error.statusCode === 429) {
          return sendProblem(
            reply,
            request,
            "rate_limited",
            "Too many requests from your address; try again in an hour.",
          );
        }
        return handleError(error, request, reply);
      },
    },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const form = isForm(request);
      if (site.online === false) {
        if (form) return notFound(reply, site);
        throw new AppError("not_found", "There is no trust center here yet.");
      }
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = accessRequestBody.safeParse(body);
      try {
        if (!parsed.success) throw validationError(parsed.error.issues);
        const ctx = publicContext(request, site);
        // Without outgoing mail an approval's link reaches the requester only through an admin,
        // so nothing is approved at once.
        const submission = await submitAccessRequest(ctx, deps, request.log, parsed.data, {
          autoApprove: deps.mailer !== null,
        });
        const approved = submission.request.status === "approved";
        if (form) {
          return reply
            .code(303)
            .header(
              "location",
              trustLink(site, `/request-access/sent${approved ? "?approved=1" : ""}`),
            )
            .send();
        }
        return reply.code(201).send({
          status: submission.request.status,
          message: site.mail
            ? approved
              ? "Approved: a link to the documents has been emailed to you."
              : "Received: you will be emailed once it has been reviewed."
            : approved
              ? "Approved: you will be sent a link to the documents."
              : "Received: you will be told the answer once it has been reviewed.",
        });
      } catch (error) {
        if (!form || !(error instanceof AppError) || error.code !== "validation_failed") {
          throw error;
        }
        const documents = await requestableDocuments({
          db: deps.db,
          organizationId: site.organizationId,
        });
        return page(
          reply,
          400,
          requestFormPage(site, {
            ...documents,
            values: formValues(body),
            errors: error.fieldErrors.length
              ? error.fieldErrors
              : [{ field: "body", message: error.message } satisfies FieldError],
            ...(error.fieldErrors.some((e) => e.field === "ndaSha256")
              ? {
                  notice:
                    "The agreement has changed since you opened this page: please read it again.",
                }
              : {}),
          }),
        );
      }
    },
  );

  app.get("/trust/access/:token", { schema: hidden }, async (request, reply) => {
    const site = await loadTrustSite(deps, request);
    const { token } = request.params as { token: string };
    // A HEAD (a mail scanner checking the link) is not someone looking at the page.
    const result = await openLink(publicContext(request, site), token, request.method === "GET");
    if (result.state === "missing") return linkNotFound(reply, site);
    if (result.state !== "active") {
      return page(reply, 410, goneLinkPage(site, result.state, result.documentIds));
    }
    return page(
      reply,
      200,
      accessPage(site, {
        token,
        name: result.request.name,
        expiresAt: result.request.expires_at as Date,
        documents: result.documents,
      }),
    );
  });

  app.get("/trust/access/:token/documents/:id", { schema: hidden }, async (request, reply) => {
    const site = await loadTrustSite(deps, request);
    const { token, id } = request.params as { token: string; id: string };
    const { grant, file } = await linkDownload(publicContext(request, site), env, {
      token,
      documentId: id,
      record: request.method === "GET",
      organizationName: site.companyName,
    });
    if (grant.state === "missing") return linkNotFound(reply, site);
    if (grant.state !== "active") {
      return page(reply, 410, goneLinkPage(site, grant.state, grant.documentIds));
    }
    if (!file) return notFound(reply, site);
    const { document, body } = file;
    return reply
      .type(document.content_type ?? "application/pdf")
      .header("content-disposition", attachmentDisposition(downloadName(document)))
      .header("content-length", String(body.byteLength))
      .header("cache-control", "no-store")
      .header("x-content-type-options", "nosniff")
      .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });

  function linkNotFound(reply: FastifyReply, site: TrustSite) {
    return page(
      reply,
      404,
      messagePage(
        site,
        "Link not found",
        "This link is not one of ours. Check that you copied the whole link from the email.",
      ),
    );
  }
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

function wantsHtml(request: FastifyRequest): boolean {
  if (isForm(request)) return true;
  const accept = request.headers.accept ?? "";
  return accept.includes("text/html") && !(request.headers["content-type"] ?? "").includes("json");
}

function formValues(body: Record<string, unknown>): FormValues {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const documents = body.documents;
  return {
    name: text(body.name),
    company: text(body.company),
    email: text(body.email),
    reason: text(body.reason),
    documents: (Array.isArray(documents) ? documents : [documents]).filter(
      (d): d is string => typeof d === "string",
    ),
    acceptNda: body.acceptNda === "yes" || body.acceptNda === "on" || body.acceptNda === true,
  };
}
