import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import {
  decodeCursor,
  encodeCursor,
  idParams,
  idSchema,
  listOf,
  timestampText,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  approveAcceptance,
  listAcceptances,
  rejectAcceptance,
  requestAcceptance,
  revokeAcceptance,
} from "./vulnerabilities.acceptances.ts";
import { getFinding, listFindings } from "./vulnerabilities.findings.ts";
import {
  acceptancesQuery,
  acceptanceView,
  approveBody,
  findingChanges,
  findingDetail,
  findingsQuery,
  findingView,
  newAcceptance,
  newComment,
  reasonBody,
  triagePeople,
} from "./vulnerabilities.schema.ts";
import {
  addComment,
  assignFinding,
  markFalsePositive,
  reopenFinding,
  triagePeopleOf,
} from "./vulnerabilities.triage.ts";

/**
 * Findings (issue 13): the list, a finding with its history, triage (assignment, comments,
 * false positives, reopening) and risk acceptances decided by an approver other than the
 * requester. Reads need vulnerabilities.read; triage vulnerabilities.manage; deciding an
 * acceptance vulnerabilities.approve.
 */
const tags = ["vulnerabilities"];
/** The list's order: deadline (nulls last), severity rank, id. */
const findingCursor = z.object({
  deadline: timestampText.nullable(),
  rank: z.number().int().min(0).max(3),
  id: idSchema,
});
const acceptanceCursor = z.object({ requestedAt: timestampText, id: idSchema });

export function findingRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/findings",
    {
      config: { access: "vulnerabilities.read" },
      schema: { tags, querystring: findingsQuery, response: { 200: listOf(findingView) } },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, findingCursor);
      const page = await listFindings(contextOf(request, deps), request.query, after);
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
  app.get(
    "/api/v1/finding-assignees",
    {
      config: { access: "vulnerabilities.read" },
      schema: { tags, response: { 200: triagePeople } },
    },
    async (request) => triagePeopleOf(contextOf(request, deps)),
  );
  app.get(
    "/api/v1/findings/:id",
    {
      config: { access: "vulnerabilities.read" },
      schema: { tags, params: idParams, response: { 200: findingDetail } },
    },
    async (request) => getFinding(contextOf(request, deps), request.params.id),
  );
  app.patch(
    "/api/v1/findings/:id",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: findingChanges, response: { 200: findingDetail } },
    },
    async (request) => assignFinding(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/findings/:id/comments",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: newComment, response: { 201: findingDetail } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addComment(contextOf(request, deps), request.params.id, request.body)),
  );
  app.post(
    "/api/v1/findings/:id/false-positive",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: reasonBody, response: { 200: findingDetail } },
    },
    async (request) => markFalsePositive(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/findings/:id/reopen",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: reasonBody, response: { 200: findingDetail } },
    },
    async (request) => reopenFinding(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/findings/:id/risk-acceptances",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: newAcceptance, response: { 201: acceptanceView } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await requestAcceptance(contextOf(request, deps), deps, request.params.id, request.body),
        ),
  );
  app.get(
    "/api/v1/risk-acceptances",
    {
      config: { access: "vulnerabilities.read" },
      schema: { tags, querystring: acceptancesQuery, response: { 200: listOf(acceptanceView) } },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, acceptanceCursor);
      const page = await listAcceptances(contextOf(request, deps), request.query, after);
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
  app.post(
    "/api/v1/risk-acceptances/:id/approve",
    {
      config: { access: "vulnerabilities.approve" },
      schema: { tags, params: idParams, body: approveBody, response: { 200: acceptanceView } },
    },
    async (request) =>
      approveAcceptance(contextOf(request, deps), deps, request.params.id, request.body),
  );
  app.post(
    "/api/v1/risk-acceptances/:id/reject",
    {
      config: { access: "vulnerabilities.approve" },
      schema: { tags, params: idParams, body: reasonBody, response: { 200: acceptanceView } },
    },
    async (request) =>
      rejectAcceptance(contextOf(request, deps), deps, request.params.id, request.body),
  );
  app.post(
    "/api/v1/risk-acceptances/:id/revoke",
    {
      config: { access: "vulnerabilities.manage" },
      schema: { tags, params: idParams, body: reasonBody, response: { 200: acceptanceView } },
    },
    async (request) => revokeAcceptance(contextOf(request, deps), request.params.id, request.body),
  );
}
