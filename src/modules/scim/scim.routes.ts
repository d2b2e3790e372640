import type { FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";
import { resourceTypes, schemas, serviceProviderConfig } from "./scim.discovery.ts";
import { ScimError, scimErrors } from "./scim.errors.ts";
import {
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  patchGroup,
  replaceGroup,
} from "./scim.groups.service.ts";
import { scimBaseUrl, scimContextOf } from "./scim.http.ts";
import { listQueryOf } from "./scim.list.ts";
import { LIST_SCHEMA, PATCH_SCHEMA, selectAttributes } from "./scim.resources.ts";
import { field, isObject } from "./scim.user-doc.ts";
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  type PatchOperation,
  patchUserById,
  replaceUser,
} from "./scim.users.service.ts";

const SCIM = { access: "scim" } as const;
const hide = { hide: true };

type Query = Record<string, unknown>;
type Params = { id: string };

/** The SCIM 2.0 service (RFC 7644) under /scim/v2. See docs/scim.md. */
export function scimRoutes(app: App, deps: Deps) {
  const base = scimBaseUrl(null, deps);
  const options = { config: SCIM, schema: hide };

  app.get("/ServiceProviderConfig", options, async () => serviceProviderConfig(base));
  app.get("/ResourceTypes", options, async () => listOf(resourceTypes(base), 1, 0));
  app.get("/ResourceTypes/:id", options, async (request) => {
    const { id } = request.params as Params;
    const found = resourceTypes(base).find((type) => type.id === id);
    if (!found) throw scimErrors.notFound(`Resource type ${id}`);
    return found;
  });
  app.get("/Schemas", options, async () => listOf(schemas(base), 1, 0));
  app.get("/Schemas/:id", options, async (request) => {
    const { id } = request.params as Params;
    const found = schemas(base).find((schema) => schema.id.toLowerCase() === id.toLowerCase());
    if (!found) throw scimErrors.notFound(`Schema ${id}`);
    return found;
  });

  app.get("/Users", options, async (request) => {
    const query = listQueryOf(request.query as Query);
    const page = await listUsers(scimContextOf(request), query, base);
    const shape = attributeSelection(request);
    return listOf(
      page.resources.map((r) => selectAttributes(r, ...shape)),
      query.startIndex,
      page.total,
    );
  });
  app.post("/Users", options, async (request, reply) => {
    const user = await createUser(scimContextOf(request), request.body, base);
    return sendResource(reply.code(201), user);
  });
  app.get("/Users/:id", options, async (request, reply) => {
    const user = await getUser(scimContextOf(request), (request.params as Params).id, base);
    return sendResource(reply, selectAttributes(user, ...attributeSelection(request)), request);
  });
  app.put("/Users/:id", options, async (request, reply) => {
    const ctx = scimContextOf(request);
    const user = await replaceUser(
      ctx,
      (request.params as Params).id,
      request.body,
      ifMatch(request),
      base,
    );
    return sendResource(reply, user);
  });
  app.patch("/Users/:id", options, async (request, reply) => {
    const ctx = scimContextOf(request);
    const id = (request.params as Params).id;
    const user = await patchUserById(
      ctx,
      id,
      patchOperations(request.body),
      ifMatch(request),
      base,
    );
    return sendResource(reply, user);
  });
  app.delete("/Users/:id", options, async (request, reply) => {
    await deleteUser(scimContextOf(request), (request.params as Params).id, ifMatch(request));
    return reply.code(204).send();
  });

  app.get("/Groups", options, async (request) => {
    const query = listQueryOf(request.query as Query);
    const shape = attributeSelection(request);
    const page = await listGroups(scimContextOf(request), query, wantsMembers(shape), base);
    return listOf(
      page.resources.map((r) => selectAttributes(r, ...shape)),
      query.startIndex,
      page.total,
    );
  });
  app.post("/Groups", options, async (request, reply) => {
    const group = await createGroup(scimContextOf(request), request.body, base);
    return sendResource(reply.code(201), group);
  });
  app.get("/Groups/:id", options, async (request, reply) => {
    const shape = attributeSelection(request);
    const ctx = scimContextOf(request);
    const group = await getGroup(ctx, (request.params as Params).id, wantsMembers(shape), base);
    return sendResource(reply, selectAttributes(group, ...shape), request);
  });
  app.put("/Groups/:id", options, async (request, reply) => {
    const ctx = scimContextOf(request);
    const group = await replaceGroup(
      ctx,
      (request.params as Params).id,
      request.body,
      ifMatch(request),
      base,
    );
    return sendResource(reply, group);
  });
  app.patch("/Groups/:id", options, async (request, reply) => {
    const ctx = scimContextOf(request);
    const id = (request.params as Params).id;
    await patchGroup(ctx, id, patchOperations(request.body), ifMatch(request));
    // RFC 7644 §3.5.2: 204 without a body, or 200 with the resource; members may be many.
    const shape = attributeSelection(request);
    if (shape[0] === null && shape[1] === null) return reply.code(204).send();
    const group = await getGroup(ctx, id, wantsMembers(shape), base);
    return sendResource(reply, selectAttributes(group, ...shape));
  });
  app.delete("/Groups/:id", options, async (request, reply) => {
    await deleteGroup(scimContextOf(request), (request.params as Params).id, ifMatch(request));
    return reply.code(204).send();
  });
}

function listOf<T>(resources: T[], startIndex: number, total: number) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total || resources.length,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** A resource with its ETag; a GET whose If-None-Match names it is a 304. */
function sendResource(
  reply: FastifyReply,
  resource: { meta: { version: string; location: string } },
  request?: FastifyRequest,
) {
  reply.header("etag", resource.meta.version);
  if (reply.statusCode === 201) reply.header("location", resource.meta.location);
  const none = request?.headers["if-none-match"];
  if (none) {
    const bare = resource.meta.version.replace(/^W\//, "");
    const hit =
      none.trim() === "*" || none.split(",").some((tag) => tag.trim().replace(/^W\//, "") === bare);
    if (hit) return reply.code(304).send();
  }
  return reply.send(resource);
}

function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers["if-match"];
  return typeof header === "string" ? header : undefined;
}

function attributeSelection(request: FastifyRequest): [string[] | null, string[] | null] {
  const query = request.query as Query;
  const list = (name: string) => {
    const found = Object.entries(query).find(([key]) => key.toLowerCase() === name.toLowerCase());
    const raw = Array.isArray(found?.[1]) ? found[1].join(",") : found?.[1];
    if (raw === undefined) return null;
    if (typeof raw !== "string")
      throw scimErrors.invalidValue(`${name} must be a list of attributes`);
    return raw
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
  };
  return [list("attributes"), list("excludedAttributes")];
}

function wantsMembers([attributes, excluded]: [string[] | null, string[] | null]): boolean {
  const names = (list: string[]) =>
    list.map(
      (a) =>
        a
          .toLowerCase()
          .replace(/^urn:.*:/, "")
          .split(".")[0],
    );
  if (attributes && attributes.length > 0) return names(attributes).includes("members");
  if (excluded && excluded.length > 0) return !names(excluded).includes("members");
  return true;
}

/** The operations of a PatchOp body; op names in any case ("Replace", as Entra sends them). */
function patchOperations(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw scimErrors.invalidSyntax("The body must be a PatchOp object.");
  const schemaList = field(body, "schemas");
  if (Array.isArray(schemaList) && !schemaList.includes(PATCH_SCHEMA)) {
    throw scimErrors.invalidSyntax(`schemas must include ${PATCH_SCHEMA}`);
  }
  const operations = field(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) {
    throw scimErrors.invalidSyntax("Operations must be a non-empty array.");
  }
  if (operations.length > 1000) throw new ScimError(400, "At most 1000 operations.", "tooMany");
  return operations.map((operation, i) => {
    if (!isObject(operation)) throw scimErrors.invalidSyntax(`Operations[${i}] must be an object`);
    const op = field(operation, "op");
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "replace" && name !== "remove") {
      throw scimErrors.invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    }
    const path = field(operation, "path");
    if (path !== undefined && path !== null && typeof path !== "string") {
      throw scimErrors.invalidPath(`Operations[${i}].path must be a string`);
    }
    return {
      op: name,
      path: typeof path === "string" && path.trim() ? path.trim() : null,
      value: field(operation, "value"),
    };
  });
}
