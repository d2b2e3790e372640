import fs from "node:fs";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { withTenant } from "../../db/tenant.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import { sendAsset } from "../../platform/http/conditional.ts";
import { handleError } from "../../platform/http/problem.ts";
import type { App } from "../../platform/http/types.ts";
import type { TrustSite } from "../../public-site/site.ts";
import { loadTrustSite } from "../trust-center/trust-center.queries.ts";
import { loadPublicChannel } from "./reporting.channel.ts";
import {
  CHALLENGE_TTL_MS,
  issueChallenge,
  issuePageChallenge,
  noScriptWaitMs,
  verifyPageChallenge,
} from "./reporting.crypto.ts";
import { followUp, PAGE_CHALLENGE_USED, reporterReply, submitReport } from "./reporting.intake.ts";
import { mailHandlers, newReportMail, reporterRepliedMail } from "./reporting.mail.ts";
import {
  type FormValues,
  type NoScriptCheck,
  renderClosedChannel,
  renderKeyForm,
  renderRateLimited,
  renderReportForm,
  renderSubmitted,
  renderThread,
  setPowScriptVersion,
} from "./reporting.pages.ts";
import { followUpBody, reporterReplyBody, submissionBody } from "./reporting.schema.ts";

/**
 * Rate limits per client address, counted by @fastify/rate-limit in this process's memory only
 * (never stored): enough for people, too few for a flood. The proof-of-work is the other half.
 */
export const SUBMIT_RATE_LIMIT = { max: 10, timeWindow: "10 minutes" } as const;
export const FOLLOW_UP_RATE_LIMIT = { max: 30, timeWindow: "10 minutes" } as const;
export const CHALLENGE_RATE_LIMIT = { max: 30, timeWindow: "10 minutes" } as const;

const HTML = "text/html; charset=utf-8";
const NO_STORE = "no-store";

const POW_SOURCE = fs.readFileSync(new URL("./reporting.pow.js", import.meta.url));
const POW_VERSION = sha256Hex(POW_SOURCE).slice(0, 12);
setPowScriptVersion(POW_VERSION);

function isFormPost(request: FastifyRequest): boolean {
  return (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

function wantsHtml(request: FastifyRequest): boolean {
  if (request.method === "GET") return (request.headers.accept ?? "").includes("text/html");
  return isFormPost(request);
}

function stringsOf(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === "object") {
    for (const [key, value] of Object.entries(body))
      if (typeof value === "string") out[key] = value;
  }
  return out;
}

function issuesOf(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "body";
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issue.message });
  }
  return out;
}

function validationError(fields: FieldError[]): AppError {
  return new AppError(
    "validation_failed",
    fields.map((f) => `${f.field}: ${f.message}`).join("; "),
    fields,
  );
}

/**
 * The form's no-JavaScript check. A form shown again after an error keeps the page challenge
 * it was sent with while that is still good (so the wait already done counts, and the wait
 * still to do continues), and gets a new one when it was forged, expired or already used.
 */
function noScriptCheck(deps: Deps, previous?: string, fields: FieldError[] = []): NoScriptCheck {
  const reusable =
    previous !== undefined &&
    !fields.some((f) => f.field === "pageChallenge" && f.message === PAGE_CHALLENGE_USED) &&
    verifyPageChallenge(deps.keyring.macKey, previous, 0).ok;
  return {
    pageChallenge: reusable ? previous : issuePageChallenge(deps.keyring.macKey),
    waitSeconds: Math.ceil(noScriptWaitMs(deps.config.reportPowBits) / 1000),
    validMinutes: CHALLENGE_TTL_MS / 60_000,
  };
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type(HTML).header("cache-control", NO_STORE).send(body);
}

/**
 * The form pages answer HTML errors (the form again, with the messages); JSON clients get
 * problem+json. A rate-limited form post gets a page saying so.
 */
function errorHandler(deps: Deps) {
  return async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (!wantsHtml(request)) return handleError(error, request, reply);
    let site: TrustSite;
    try {
      site = await loadTrustSite(deps, request);
    } catch {
      return handleError(error, request, reply);
    }
    if ((error as FastifyError).statusCode === 429)
      return html(reply, 429, renderRateLimited(site));
    return handleError(error, request, reply);
  };
}

/**
 * The public reporting form, POST /trust/reports, and the reporter's follow-up pages. None of
 * these routes declares config.access, so the auth hook never reads a cookie or session for
 * them; they log at warn level only, so the request log does not record the client's address;
 * and nothing of the request (address, user agent, cookies) reaches the database.
 */
export function reportingPublicRoutes(app: App, deps: Deps): void {
  const quiet = { logLevel: "warn" as const, errorHandler: errorHandler(deps) };

  app.get(
    "/trust/report",
    { ...quiet, config: { rateLimit: CHALLENGE_RATE_LIMIT }, schema: { hide: true } },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const channel = await withTenant(deps.db, site.organizationId, (tx) =>
        loadPublicChannel(tx, site.organizationId),
      );
      if (!channel.enabled) return html(reply, 404, renderClosedChannel(site));
      return html(reply, 200, renderReportForm(site, channel, noScriptCheck(deps)));
    },
  );

  app.get(
    "/trust/reports/challenge",
    { ...quiet, config: { rateLimit: CHALLENGE_RATE_LIMIT }, schema: { hide: true } },
    async (_request, reply) => {
      const issued = issueChallenge(deps.keyring.macKey, deps.config.reportPowBits);
      return reply.header("cache-control", NO_STORE).send({
        challenge: issued.challenge,
        bits: issued.bits,
        expiresAt: issued.expiresAt.toISOString(),
      });
    },
  );

  app.get("/trust/assets/pow.js", { ...quiet, schema: { hide: true } }, async (request, reply) =>
    sendAsset(request, reply, "text/javascript; charset=utf-8", POW_SOURCE, POW_VERSION),
  );

  app.post(
    "/trust/reports",
    { ...quiet, config: { rateLimit: SUBMIT_RATE_LIMIT }, schema: { hide: true } },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const form = isFormPost(request);
      const parsed = submissionBody.safeParse(request.body ?? {});
      const rerender = async (fields: FieldError[], status = 400) => {
        const channel = await withTenant(deps.db, site.organizationId, (tx) =>
          loadPublicChannel(tx, site.organizationId),
        );
        if (!channel.enabled) return html(reply, 404, renderClosedChannel(site));
        const sent = stringsOf(request.body);
        const check = noScriptCheck(deps, sent.pageChallenge, fields);
        return html(
          reply,
          status,
          renderReportForm(site, channel, check, sent as FormValues, fields),
        );
      };
      if (!parsed.success) {
        const fields = issuesOf(parsed.error);
        if (form) return rerender(fields);
        throw validationError(fields);
      }
      let submitted: Awaited<ReturnType<typeof submitReport>>;
      try {
        submitted = await submitReport(deps, site.organizationId, parsed.data, request.id);
      } catch (error) {
        if (form && error instanceof AppError) {
          if (error.code === "not_found") return html(reply, 404, renderClosedChannel(site));
          if (error.fieldErrors.length > 0) return rerender(error.fieldErrors);
        }
        throw error;
      }
      try {
        await mailHandlers(deps, site.organizationId, newReportMail(deps, submitted));
      } catch (error) {
        request.log.error({ err: error }, "mailing the report handlers failed");
      }
      if (form) return html(reply, 201, renderSubmitted(site, submitted));
      return reply
        .code(201)
        .header("cache-control", NO_STORE)
        .send({ followUpKey: submitted.followUpKey, reference: submitted.reference });
    },
  );

  app.get("/trust/report/follow-up", { ...quiet, schema: { hide: true } }, async (request, reply) =>
    html(reply, 200, renderKeyForm(await loadTrustSite(deps, request))),
  );

  app.post(
    "/trust/reports/follow-up",
    { ...quiet, config: { rateLimit: FOLLOW_UP_RATE_LIMIT }, schema: { hide: true } },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const form = isFormPost(request);
      const parsed = followUpBody.safeParse(request.body ?? {});
      if (!parsed.success) {
        const fields = issuesOf(parsed.error);
        if (form) return html(reply, 400, renderKeyForm(site, fields));
        throw validationError(fields);
      }
      try {
        const view = await followUp(deps, site.organizationId, parsed.data.key);
        if (form) return html(reply, 200, renderThread(site, parsed.data.key, view));
        return reply.header("cache-control", NO_STORE).send(view);
      } catch (error) {
        if (form && error instanceof AppError && error.code === "not_found") {
          return html(reply, 404, renderKeyForm(site, error.fieldErrors, error.message));
        }
        throw error;
      }
    },
  );

  app.post(
    "/trust/reports/follow-up/reply",
    { ...quiet, config: { rateLimit: FOLLOW_UP_RATE_LIMIT }, schema: { hide: true } },
    async (request, reply) => {
      const site = await loadTrustSite(deps, request);
      const form = isFormPost(request);
      const parsed = reporterReplyBody.safeParse(request.body ?? {});
      if (!parsed.success) {
        const fields = issuesOf(parsed.error);
        if (!form) throw validationError(fields);
        const key = stringsOf(request.body).key ?? "";
        if (fields.some((f) => f.field === "key"))
          return html(reply, 400, renderKeyForm(site, fields));
        try {
          const view = await followUp(deps, site.organizationId, key);
          return html(reply, 400, renderThread(site, key, view, fields));
        } catch (error) {
          if (error instanceof AppError && error.code === "not_found") {
            return html(reply, 404, renderKeyForm(site, error.fieldErrors, error.message));
          }
          throw error;
        }
      }
      const { key, body } = parsed.data;
      let result: Awaited<ReturnType<typeof reporterReply>>;
      try {
        result = await reporterReply(deps, site.organizationId, key, body, request.id);
      } catch (error) {
        if (form && error instanceof AppError) {
          if (error.code === "not_found") {
            return html(reply, 404, renderKeyForm(site, error.fieldErrors, error.message));
          }
          if (error.code === "invalid_state") {
            const view = await followUp(deps, site.organizationId, key);
            return html(
              reply,
              409,
              renderThread(site, key, view, [], body, { text: error.message, ok: false }),
            );
          }
        }
        throw error;
      }
      try {
        await mailHandlers(
          deps,
          site.organizationId,
          reporterRepliedMail(deps, result.view.reference, result.reportId),
        );
      } catch (error) {
        request.log.error({ err: error }, "mailing the report handlers failed");
      }
      if (form) {
        return html(
          reply,
          201,
          renderThread(site, key, result.view, [], "", { text: "Your reply was sent.", ok: true }),
        );
      }
      return reply.code(201).header("cache-control", NO_STORE).send(result.view);
    },
  );
}
