import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { decodeCursor, encodeCursor, idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { commitPeopleImport, previewPeopleImport } from "./people.import-commit.ts";
import { listJobRoles, listPeople } from "./people.list.ts";
import {
  cursorSchema,
  importBody,
  importPreview,
  importRefusal,
  importResult,
  listQuery,
  newPerson,
  offboarding,
  personChanges,
  personView,
} from "./people.schema.ts";
import {
  createPerson,
  deletePerson,
  getPerson,
  offboardPerson,
  updatePerson,
} from "./people.service.ts";

const csvOf = (body: z.infer<typeof importBody>) => (typeof body === "string" ? body : body.csv);

export function peopleRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/people",
    {
      config: { access: "people.read" },
      schema: { tags: ["people"], querystring: listQuery, response: { 200: listOf(personView) } },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const page = await listPeople(contextOf(request, deps), {
        ...filter,
        after: decodeCursor(cursor, cursorSchema),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    "/api/v1/people/job-roles",
    {
      config: { access: "people.read" },
      schema: { tags: ["people"], response: { 200: z.object({ items: z.array(z.string()) }) } },
    },
    async (request) => ({ items: await listJobRoles(contextOf(request, deps)) }),
  );

  app.get(
    "/api/v1/people/:id",
    {
      config: { access: "people.read" },
      schema: { tags: ["people"], params: idParams, response: { 200: personView } },
    },
    async (request) => getPerson(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/people",
    {
      config: { access: "people.manage" },
      schema: { tags: ["people"], body: newPerson, response: { 201: personView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createPerson(contextOf(request, deps), request.body)),
  );

  app.patch(
    "/api/v1/people/:id",
    {
      config: { access: "people.manage" },
      schema: {
        tags: ["people"],
        params: idParams,
        body: personChanges,
        response: { 200: personView },
      },
    },
    async (request) => updatePerson(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/people/:id/offboard",
    {
      config: { access: "people.manage" },
      schema: {
        tags: ["people"],
        params: idParams,
        body: offboarding,
        response: { 200: personView },
      },
    },
    async (request) => offboardPerson(contextOf(request, deps), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/people/:id",
    {
      config: { access: "people.manage" },
      schema: { tags: ["people"], summary: "Delete a person entered by mistake", params: idParams },
    },
    async (request, reply) => {
      await deletePerson(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/people/imports/preview",
    {
      config: { access: "people.manage" },
      schema: {
        tags: ["people"],
        body: importBody,
        response: { 200: importPreview, 413: problemSchema },
      },
    },
    async (request) => previewPeopleImport(contextOf(request, deps), csvOf(request.body)),
  );

  app.post(
    "/api/v1/people/imports",
    {
      config: { access: "people.manage" },
      schema: {
        tags: ["people"],
        body: importBody,
        response: { 200: importResult, 413: problemSchema, 422: importRefusal },
      },
    },
    async (request, reply) => {
      const outcome = await commitPeopleImport(contextOf(request, deps), csvOf(request.body));
      if (outcome.ok) {
        const { ok: _, ...result } = outcome;
        return result;
      }
      return reply
        .code(422)
        .type("application/problem+json")
        .serializer(JSON.stringify)
        .send({
          type: "urn:attest:problem:validation_failed",
          title: "The file has problems; nothing was imported",
          status: 422,
          code: "validation_failed",
          detail: `${outcome.problemCount} problem(s) in the file; fix them and import it again.`,
          problems: outcome.problems,
          problemCount: outcome.problemCount,
          requestId: request.id,
        });
    },
  );
}
