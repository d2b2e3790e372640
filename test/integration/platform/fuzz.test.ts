import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import {
  Client,
  createOrganization,
  createTestApp,
  type Person,
  signedIn,
  type TestApp,
} from "../../helpers/app.ts";
import {
  BAD_DATES,
  deepArrays,
  deepObjects,
  hostileValue,
  type JsonSchema,
  type Random,
  SchemaValues,
  seededRandom,
} from "../../helpers/fuzz.ts";

/**
 * A bounded fuzz walk of every route the server registers: for each, a fixed number of
 * generated requests (near-valid bodies and query strings from its OpenAPI schema, spoilt with
 * wrong types, huge numbers, deep nesting, long and odd strings, NUL, year 0000, arrays for
 * objects, extra keys, empty and broken bodies) from the owner and from an anonymous caller.
 * No request may get a 5xx. The seed makes a failure replay: ATTEST_FUZZ_SEED=<seed>.
 */
const SEED = Number(process.env.ATTEST_FUZZ_SEED ?? 20_261_202);
const CASES_PER_ROUTE = 8;

let t: TestApp;
let owner: Person;
let values: SchemaValues;
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read loosely
let spec: any;
let scimToken: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Fuzz Co");
  ids.push(owner.id, owner.organizationId);
  spec = t.app.swagger();
  values = new SchemaValues(spec.components?.schemas ?? {}, () => ids);
  scimToken = (await owner.client.post("/api/v1/scim-tokens", { name: "fuzz" })).body.token;
});
afterAll(() => t.close());

interface Route {
  method: string;
  url: string;
  public: boolean;
  /** /scim/v2: its credential is the organization's SCIM token (issue 16). */
  scim: boolean;
}

/** Every route but the API documentation, the static files and the health probes. */
function routes(): Route[] {
  return t.app.attestRoutes
    .filter((route) => !route.url.startsWith("/api/docs") && !route.url.endsWith("*"))
    .filter((route) => route.url !== "/healthz" && route.url !== "/readyz")
    .map((route) => ({
      method: route.method,
      url: route.url,
      public:
        route.access === "public" || (!route.url.startsWith("/api/") && route.access !== "scim"),
      scim: route.access === "scim",
    }));
}

function operation(route: Route) {
  const path = route.url.replace(/:(\w+)/g, "{$1}");
  return spec.paths?.[path]?.[route.method.toLowerCase()] ?? {};
}

function paramValue(random: Random, name: string, spoil: boolean): string {
  const value =
    spoil && random.chance(0.15)
      ? asText(hostileValue(random))
      : name === "key"
        ? random.pick(["bcdr-policy", "access-review", "no-such-control"])
        : name === "version"
          ? String(random.pick([1, 2, 0, -1, 99_999_999_999]))
          : random.chance(0.8) && ids.length > 0
            ? random.pick(ids)
            : crypto.randomUUID();
  // Byte by byte: a lone surrogate has no URI encoding of its own.
  return [...Buffer.from(value.slice(0, 2_000))]
    .map((b) => `%${b.toString(16).padStart(2, "0")}`)
    .join("");
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

function queryString(random: Random, route: Route, spoil: boolean): string {
  // biome-ignore lint/suspicious/noExplicitAny: OpenAPI parameters
  const params: any[] = (operation(route).parameters ?? []).filter((p: any) => p.in === "query");
  const entries: [string, string][] = [];
  for (const param of params) {
    // A cursor only a list hands out; a made-up one is a spoilt value.
    if (!param.required && (random.chance(0.4) || (!spoil && param.name === "cursor"))) continue;
    let value = asText(values.plausible(random, param.schema, param.name));
    if (!spoil) {
      entries.push([param.name, value]);
      continue;
    }
    if (random.chance(0.35)) value = asText(hostileValue(random));
    if (
      values.dateFields({ properties: { [param.name]: param.schema } }).length &&
      random.chance(0.4)
    ) {
      value = random.pick(BAD_DATES);
    }
    entries.push([param.name, value]);
    if (random.chance(0.1)) entries.push([param.name, value]);
  }
  if (spoil && random.chance(0.2))
    entries.push([
      random.pick(["extra", "__proto__", "limit", "asOf"]),
      asText(hostileValue(random)),
    ]);
  if (entries.length === 0) return "";
  return `?${new URLSearchParams(entries).toString()}`;
}

interface Payload {
  text?: string;
  contentType?: string;
}

function json(value: unknown): Payload {
  return { text: JSON.stringify(value), contentType: "application/json" };
}

function bodySchema(route: Route): JsonSchema | undefined {
  return operation(route).requestBody?.content?.["application/json"]?.schema;
}

function bodyFor(random: Random, route: Route, strategy: number): Payload {
  const schema = bodySchema(route);
  const plausible = () => {
    const value = values.plausible(random, schema);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  };
  switch (strategy) {
    case 0:
      return json(plausible());
    case 1: {
      const body = plausible();
      const keys = Object.keys(body);
      body[keys.length ? random.pick(keys) : "name"] = hostileValue(random);
      return json(body);
    }
    case 2: {
      const body = plausible();
      for (const key of Object.keys(body)) body[key] = hostileValue(random);
      return json(body);
    }
    case 3: {
      const body = plausible();
      const dates = values.dateFields(schema);
      for (const key of dates.length ? dates : ["date", "from", "asOf"]) {
        body[key] = random.pick(BAD_DATES);
      }
      return json(body);
    }
    case 4:
      return random.chance(0.5)
        ? json(hostileValue(random))
        : {
            text: random.chance(0.5) ? deepArrays(8_000) : deepObjects(random.pick([65, 8_000])),
            contentType: "application/json",
          };
    case 5:
      return random.pick<Payload>([
        { text: "", contentType: "application/json" },
        { text: "{", contentType: "application/json" },
        { text: "{}" },
        { text: "\u0000", contentType: "application/json" },
        { text: "a=1", contentType: "text/plain" },
      ]);
    case 6: {
      const body = JSON.stringify({ ...plausible(), extra: hostileValue(random) });
      return {
        text: `{"__proto__":{"role":"owner"},"constructor":{"prototype":{}},${body.slice(1)}`,
        contentType: "application/json",
      };
    }
    default: {
      const body = plausible();
      if (random.chance(0.5)) {
        const key = random.pick(Object.keys(body).length ? Object.keys(body) : ["email"]);
        body[key] = random.chance(0.5) ? [body[key], body[key]] : { value: body[key] };
        return json(random.chance(0.3) ? [body] : body);
      }
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(body)) form.append(key, asText(value));
      form.append(
        random.pick(["email", "message", "name", "a[b][c]"]),
        asText(hostileValue(random)),
      );
      return { text: form.toString(), contentType: "application/x-www-form-urlencoded" };
    }
  }
}

/** Remembers ids the server hands out, so later cases address things that exist. */
function collectIds(value: unknown, depth = 0) {
  if (depth > 3 || value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (key === "id" && typeof item === "string" && !ids.includes(item) && ids.length < 60) {
      ids.push(item);
    }
    collectIds(item, depth + 1);
  }
}

/** Keeps the owner able to call everything: a case may have turned on required two-factor. */
async function keepOwnerReachable() {
  await withSystem(t.deps.db, (tx) =>
    sql`update organizations set require_mfa = false where id = ${owner.organizationId}`.execute(
      tx,
    ),
  );
}

/**
 * Things to address: each create route of the API gets a few near-valid bodies first, so that
 * the walk's ids name a person, a policy, a notice and so on that exist.
 */
async function createSomeOfEverything(random: Random) {
  const creates = routes().filter(
    (route) =>
      route.method === "POST" &&
      !route.url.includes(":") &&
      !/\/(auth|setup|me|preview|publish|offline)\b/.test(route.url),
  );
  for (const route of creates) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = await signedIn(t, owner.organizationId, owner.id);
      const reply = await client.post(route.url, values.plausible(random, bodySchema(route)));
      if (reply.status >= 500) throw new Error(`${route.url}: ${JSON.stringify(reply.body)}`);
      if (reply.status < 300) {
        collectIds(reply.body);
        break;
      }
    }
  }
  // The public forms answer 404 until the trust center is published.
  const client = await signedIn(t, owner.organizationId, owner.id);
  await client.post("/api/v1/trust-center/publish", {});
}

describe("the fuzz walk", () => {
  it("should answer no generated request to any route with a 5xx", async () => {
    await createSomeOfEverything(seededRandom(SEED));
    const all = routes();
    expect(all.length).toBeGreaterThan(100);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (let index = 0; index < CASES_PER_ROUTE; index++) {
      for (const [routeIndex, route] of all.entries()) {
        // /scim/v2 takes the SCIM token only (the SCIM walk covers every other caller's 401).
        const callers = route.public
          ? ["anonymous"]
          : route.scim
            ? ["scim"]
            : ["owner", "anonymous"];
        for (const caller of callers) {
          const seed = SEED + index * 100_003 + routeIndex * 7_919 + (caller === "owner" ? 1 : 0);
          const random = seededRandom(seed);
          // Strategy 0 is a near-valid request, to reach the service; the others spoil it.
          const strategy = (index + routeIndex) % 8;
          const spoil = strategy !== 0;
          const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
            paramValue(random, name, spoil),
          );
          const query =
            route.method === "GET" || random.chance(0.3) ? queryString(random, route, spoil) : "";
          const payload =
            route.method === "GET" || route.method === "DELETE"
              ? {}
              : bodyFor(random, route, strategy);
          const client =
            caller === "owner"
              ? await signedIn(t, owner.organizationId, owner.id)
              : new Client(t.app);
          const headers: Record<string, string> = {};
          if (client.cookie) headers.cookie = client.cookie;
          if (client.csrfToken) headers["x-csrf-token"] = client.csrfToken;
          if (caller === "scim") headers.authorization = `Bearer ${scimToken}`;
          if (payload.contentType) headers["content-type"] = payload.contentType;
          const where =
            `${route.method} ${route.url} as ${caller}, case ${index} (seed ${seed}): ${route.method} ${url}${query}`.slice(
              0,
              400,
            );
          try {
            const response = await t.app.inject({
              method: route.method as "GET",
              url: `${url}${query}`,
              headers,
              ...(payload.text === undefined ? {} : { payload: payload.text }),
            });
            sent++;
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            if (response.statusCode >= 500) {
              failures.push(`${where} → ${response.statusCode} ${response.body.slice(0, 200)}`);
            } else if (
              response.statusCode < 300 &&
              response.headers["content-type"]?.toString().includes("json")
            ) {
              collectIds(safeParse(response.body));
            }
          } catch (error) {
            failures.push(`${where} → threw ${(error as Error).message}`);
          }
          if (caller === "owner" && route.url === "/api/v1/organization")
            await keepOwnerReachable();
        }
      }
    }
    expect(failures).toEqual([]);
    // The walk must reach past validation on a good share of cases, or it tests little.
    const succeeded = [...statuses]
      .filter(([status]) => status < 300)
      .reduce((n, [, c]) => n + c, 0);
    expect(sent).toBeGreaterThan(all.length * CASES_PER_ROUTE);
    expect(succeeded).toBeGreaterThan(sent / 10);
    console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 120_000);
});

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
