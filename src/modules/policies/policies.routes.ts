import { z } from "zod";
import { can } from "../../domain/permissions.ts";
import type { Deps } from "../../platform/deps.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { idParams, listOf, timestamp } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { contextOf, requirePrincipal } from "../auth/auth-hook.ts";
import { acknowledgePolicy, myPolicies } from "./policies.acknowledgements.ts";
import { exportPoliciesZip, exportVersionPdf } from "./policies.exports.ts";
import {
  acknowledgeBody,
  commentBody,
  diffQuery,
  diffView,
  draftBody,
  myPolicyView,
  newPolicy,
  policyChanges,
  policySummary,
  policyView,
  previewBody,
  rejectBody,
  templateView,
  versionParams,
} from "./policies.schema.ts";
import {
  createPolicy,
  listTemplates,
  retirePolicy,
  saveDraft,
  updatePolicy,
} from "./policies.service.ts";
import { diffVersions, getPolicy, listPolicies } from "./policies.views.ts";
import {
  approveAndPublish,
  rejectSubmission,
  reviewPolicy,
  submitForApproval,
} from "./policies.workflow.ts";

const tags = ["policies"];

export function policiesRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/policies",
    {
      config: { access: "policies.read" },
      schema: { tags, response: { 200: listOf(policySummary) } },
    },
    async (request) => ({ items: await listPolicies(contextOf(request, deps)), nextCursor: null }),
  );

  app.get(
    "/api/v1/policies/templates",
    {
      config: { access: "policies.read" },
      schema: { tags, response: { 200: z.object({ items: z.array(templateView) }) } },
    },
    async () => ({ items: listTemplates() }),
  );

  app.post(
    "/api/v1/policies/preview",
    {
      config: { access: "policies.read" },
      schema: {
        tags,
        summary: "Render Markdown as the policy pages do",
        body: previewBody,
        response: { 200: z.object({ html: z.string() }) },
      },
    },
    async (request) => ({ html: renderMarkdown(request.body.body) }),
  );

  app.get(
    "/api/v1/policies/export.zip",
    {
      config: { access: "policies.read" },
      schema: { tags, summary: "Every current policy as PDF and Markdown, in one ZIP" },
    },
    async (request, reply) => {
      const zip = await exportPoliciesZip(contextOf(request, deps));
      return reply
        .type("application/zip")
        .header("content-disposition", attachmentDisposition(zip.fileName))
        .send(zip.data);
    },
  );

  app.get(
    "/api/v1/me/policies",
    {
      config: { access: "policies.acknowledge" },
      schema: {
        tags,
        summary: "The current policies that apply to me, acknowledged or not",
        response: { 200: z.object({ items: z.array(myPolicyView) }) },
      },
    },
    async (request) => ({ items: await myPolicies(contextOf(request, deps)) }),
  );

  app.post(
    "/api/v1/policies",
    {
      config: { access: "policies.manage" },
      schema: {
        tags,
        summary: "Create a policy from a template or from your own text",
        body: newPolicy,
        response: { 201: policyView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPolicy(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/policies/:id",
    {
      config: { access: "policies.read" },
      schema: { tags, params: idParams, response: { 200: policyView } },
    },
    async (request) =>
      getPolicy(contextOf(request, deps), request.params.id, {
        withOpenVersions: can(requirePrincipal(request).role, "policies.manage"),
      }),
  );

  app.patch(
    "/api/v1/policies/:id",
    {
      config: { access: "policies.manage" },
      schema: { tags, params: idParams, body: policyChanges, response: { 200: policyView } },
    },
    async (request) => updatePolicy(contextOf(request, deps), request.params.id, request.body),
  );

  app.put(
    "/api/v1/policies/:id/draft",
    {
      config: { access: "policies.manage" },
      schema: {
        tags,
        summary: "Save the draft (starts a new version after a publication)",
        params: idParams,
        body: draftBody,
        response: { 200: policyView },
      },
    },
    async (request) => saveDraft(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/policies/:id/submit",
    {
      config: { access: "policies.manage" },
      schema: { tags, params: idParams, response: { 200: policyView } },
    },
    async (request) => submitForApproval(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/policies/:id/reject",
    {
      config: { access: "policies.approve" },
      schema: { tags, params: idParams, body: rejectBody, response: { 200: policyView } },
    },
    async (request) =>
      rejectSubmission(contextOf(request, deps), request.params.id, request.body.reason),
  );

  app.post(
    "/api/v1/policies/:id/approve",
    {
      config: { access: "policies.approve" },
      schema: {
        tags,
        summary: "Approve and publish the submitted version",
        params: idParams,
        body: commentBody,
        response: { 200: policyView },
      },
    },
    async (request) =>
      approveAndPublish(contextOf(request, deps), request.params.id, request.body.comment, {
        deps,
        log: request.log,
      }),
  );

  app.post(
    "/api/v1/policies/:id/review",
    {
      config: { access: "policies.approve" },
      schema: {
        tags,
        summary: "Re-approve the current version unchanged (the periodic review)",
        params: idParams,
        body: commentBody,
        response: { 200: policyView },
      },
    },
    async (request) =>
      reviewPolicy(contextOf(request, deps), request.params.id, request.body.comment),
  );

  app.post(
    "/api/v1/policies/:id/retire",
    {
      config: { access: "policies.approve" },
      schema: { tags, params: idParams, response: { 200: policyView } },
    },
    async (request) => retirePolicy(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/policies/:id/acknowledge",
    {
      config: { access: "policies.acknowledge" },
      schema: {
        tags,
        summary: "Acknowledge the current version of a policy that applies to me",
        params: idParams,
        body: acknowledgeBody,
        response: {
          200: z.object({ policyId: z.string(), versionId: z.string(), acknowledgedAt: timestamp }),
        },
      },
    },
    async (request) =>
      acknowledgePolicy(contextOf(request, deps), request.params.id, request.body.versionId),
  );

  app.get(
    "/api/v1/policies/:id/diff",
    {
      config: { access: "policies.read" },
      schema: { tags, params: idParams, querystring: diffQuery, response: { 200: diffView } },
    },
    async (request) =>
      diffVersions(
        contextOf(request, deps),
        request.params.id,
        request.query.from,
        request.query.to,
      ),
  );

  app.get(
    "/api/v1/policies/:id/versions/:versionId/pdf",
    { config: { access: "policies.read" }, schema: { tags, params: versionParams } },
    async (request, reply) => {
      const pdf = await exportVersionPdf(
        contextOf(request, deps),
        request.params.id,
        request.params.versionId,
      );
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(pdf.fileName))
        .send(pdf.data);
    },
  );
}
