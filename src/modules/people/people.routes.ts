import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import {
  daySchema,
  decodeCursor,
  emailSchema,
  encodeCursor,
  idParams,
  idSchema,
  limitSchema,
  listOf,
  nameSchema,
  timestamp,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  createPerson,
  getPerson,
  listJobRoles,
  listPeople,
  updatePerson,
} from "./people.service.ts";

const day = daySchema;
const jobRole = z.string().trim().max(100);

const personView = z
  .object({
    id: idSchema,
    userId: idSchema.nullable(),
    name: z.string(),
    email: z.string(),
    jobRole: z.string().nullable(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    active: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: "Person" });

const listQuery = z.object({
  activeOn: day.optional(),
  jobRole: jobRole.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

const newPerson = z.object({
  name: nameSchema,
  email: emailSchema,
  jobRole: jobRole.nullable().optional(),
  startDate: day,
  endDate: day.nullable().optional(),
});

const personChanges = z
  .object({
    name: nameSchema.optional(),
    jobRole: jobRole.nullable().optional(),
    startDate: day.optional(),
    endDate: day.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

const cursorSchema = z.object({ name: z.string(), id: idSchema });

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
}
