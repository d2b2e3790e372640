import fs from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyServerOptions } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { sql } from "kysely";
import { openDatabase } from "./db/database.ts";
import { isMigrated, migrateIfNeeded } from "./db/migrate.ts";
import { areas, installAreas } from "./modules/index.ts";
import { startSchedule, watchChanges } from "./modules/monitoring/monitor.ts";
import { decodeKeysText } from "./platform/authorized-keys.ts";
import type { Config } from "./platform/config.ts";
import { decodeCsvText, IMPORT_LIMIT_BYTES } from "./platform/csv.ts";
import type { Deps } from "./platform/deps.ts";
import { errors } from "./platform/errors.ts";
import { handleError, sendProblem } from "./platform/http/problem.ts";
import { inputProblem } from "./platform/http/schemas.ts";
import { registerSecurityHeaders } from "./platform/http/security-headers.ts";
import type { App } from "./platform/http/types.ts";
import { loadKeyring, masterKeyFile } from "./platform/keyring.ts";
import { createMailer } from "./platform/mail.ts";
import { browserUrl, checkPortFree, listenFailure, startupMessage } from "./platform/startup.ts";

const WEB_DIST = fileURLToPath(new URL("../web/dist", import.meta.url));
const VERSION = "0.1.0";

/**
 * zod validates and serializes every route (set in buildServer): handing Fastify these as its
 * default compilers spares loading Ajv and fast-json-stringify, which it would never use.
 * (Fastify's types expect Ajv-shaped factories.)
 */
const zodCompilers = {
  compilersFactory: {
    buildValidator: () => validatorCompiler,
    buildSerializer: () => serializerCompiler,
  },
} as unknown as FastifyServerOptions["schemaController"];

export interface RouteInfo {
  method: string;
  url: string;
  access: string | undefined;
}

/** Builds the HTTP application over already-opened dependencies; does not listen. */
export async function buildServer(
  deps: Deps,
  options: { logger?: FastifyServerOptions["logger"] } = {},
) {
  installAreas();
  const tls = deps.config.tls;
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.logLevel },
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    requestIdHeader: false,
    schemaController: zodCompilers,
    genReqId: () => crypto.randomUUID(),
    // Areas may rewrite a URL before routing: on ATTEST_TRUST_HOST the trust center is served
    // at the root, and nothing else is.
    rewriteUrl: rewriteUrlOf(deps.config),
    ...(tls
      ? { https: { cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) } }
      : {}),
  }).withTypeProvider() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  // Every API route must say who may call it; the role table test walks this list.
  const routes: RouteInfo[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access;
    if (route.url.startsWith("/api/v1/") && access === undefined) {
      throw new Error(`Route ${methods.join(",")} ${route.url} does not declare config.access`);
    }
    for (const method of methods) {
      if (method !== "HEAD") routes.push({ method, url: route.url, access });
    }
  });
  app.decorate("attestRoutes", routes);

  registerSecurityHeaders(app, { tls: Boolean(tls) });
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-request-id", request.id);
    return payload;
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  for (const area of areas) area.hooks?.(app, deps);
  // PostgreSQL text cannot hold U+0000, and a body nested thousands deep would exhaust the
  // stack of whatever walks it: refuse both as bad input before validation.
  app.addHook("preValidation", async (request) => {
    const parts = { body: request.body, query: request.query, params: request.params };
    for (const [part, value] of Object.entries(parts)) {
      const problem = inputProblem(value);
      if (problem) throw errors.validation(problem.field || part, problem.message);
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: "Attest API", version: VERSION, description: "REST API of Attest, /api/v1." },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "attest_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });

  // Probes call these every few seconds: their requests are not logged below warnings.
  app.get("/healthz", { schema: { hide: true }, logLevel: "warn" }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true }, logLevel: "warn" }, async (request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      if (!(await isMigrated(deps.db))) {
        return reply.code(503).send({ status: "migrations pending" });
      }
      return { status: "ready" };
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return reply.code(503).send({ status: "database unreachable" });
    }
  });

  await app.register(async (api) => {
    // Imports take the file itself as the body (text/csv), up to IMPORT_LIMIT_BYTES, checked
    // to be UTF-8 text; the route's zod schema sees a string.
    api.addContentTypeParser(
      ["text/csv", "application/csv"],
      { parseAs: "buffer", bodyLimit: IMPORT_LIMIT_BYTES },
      (_request, body, done) => {
        try {
          done(null, decodeCsvText(body as Buffer));
        } catch (error) {
          done(errors.validation("body", (error as Error).message.replace(/^line 1: /, "")));
        }
      },
    );
    // Host listings take an authorized_keys file itself as the body (text/plain), likewise.
    api.removeContentTypeParser("text/plain");
    api.addContentTypeParser(
      "text/plain",
      { parseAs: "buffer", bodyLimit: IMPORT_LIMIT_BYTES },
      (_request, body, done) => {
        try {
          done(null, decodeKeysText(body as Buffer));
        } catch (error) {
          done(errors.validation("body", (error as Error).message));
        }
      },
    );
    for (const area of areas) area.routes?.(api as unknown as App, deps);
  });

  // The public trust center: server-rendered pages and forms under /trust, no sign-in. Its
  // requests are not logged below warn: visitors' addresses stay out of the log, and so do the
  // tokens some of its paths carry (access links, subscription links).
  await app.register(
    async (trust) => {
      const typed = trust as unknown as App;
      // Its HTML forms post application/x-www-form-urlencoded (the API takes JSON only): parsed
      // into a flat object of strings, a repeated name becoming an array, then validated by zod.
      trust.addContentTypeParser(
        "application/x-www-form-urlencoded",
        { parseAs: "string" },
        (_request, body, done) => {
          const fields: Record<string, string | string[]> = {};
          for (const [name, value] of new URLSearchParams(body as string)) {
            const seen = fields[name];
            if (seen === undefined) fields[name] = value;
            else fields[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
          }
          done(null, fields);
        },
      );
      for (const area of areas) area.publicRoutes?.(typed, deps);
    },
    { logLevel: "warn" },
  );

  await registerWebApp(app);
  const stopWatching = watchChanges(deps, app.log);
  app.addHook("onClose", async () => stopWatching());
  return app;
}

/** The areas' URL rewrites, in list order: the first that changes the URL decides. */
function rewriteUrlOf(config: Config) {
  const rewrites = areas.flatMap((area) => area.rewriteUrl?.(config) ?? []);
  return (request: IncomingMessage): string => {
    for (const rewrite of rewrites) {
      const url = rewrite(request);
      if (url !== request.url) return url;
    }
    return request.url ?? "/";
  };
}

/** Whether some area still waits for first-run setup. */
async function setupRequired(deps: Deps): Promise<boolean> {
  for (const area of areas) if (await area.setupRequired?.(deps.db)) return true;
  return false;
}

/** Hashed file names: a new build writes new names, so a copy never goes stale. */
const HASHED_ASSETS = `${path.sep}assets${path.sep}`;

/**
 * The single-page app from web/dist, with index.html for every client-side route. The build
 * writes brotli and gzip copies beside each file (web/vite.config.ts), sent per Accept-Encoding;
 * hashed /assets/* are cached for a year, everything else is revalidated.
 */
async function registerWebApp(app: App) {
  const index = path.join(WEB_DIST, "index.html");
  const built = fs.existsSync(index);
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (response, file) => {
        // Which copy is sent depends on Accept-Encoding, so caches must key on it.
        response.setHeader("vary", "accept-encoding");
        const hashed = file.startsWith(WEB_DIST + HASHED_ASSETS);
        response.setHeader(
          "cache-control",
          hashed ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url.startsWith("/api/") || request.url === "/api";
    // A missing hashed file (a chunk of an earlier build) is a 404, not the app's index.html:
    // a module answered with HTML fails anyway, and a 404 says why.
    const isAsset = request.url.startsWith("/assets/");
    if (isApi || isAsset || (request.method !== "GET" && request.method !== "HEAD")) {
      return sendProblem(
        reply,
        request,
        "not_found",
        `No route ${request.method} ${request.url.split("?")[0]}.`,
      );
    }
    if (!built) {
      return reply
        .code(503)
        .type("text/plain")
        .send("The web app is not built. Run `npm run build:web` (npm start does it for you).");
    }
    return reply
      .type("text/html")
      .header("cache-control", "no-cache")
      .send(fs.createReadStream(index));
  });
}

/**
 * Opens the database, applies migrations and starts listening, then prints where to go. A
 * failure on the way closes what was opened (and so releases the embedded database's lock).
 */
export async function startServer(config: Config) {
  await checkPortFree(config);
  const url = config.port === 0 ? undefined : browserUrl(config);
  const database = await openDatabase(config, { command: "attest serve", url });
  let app: App | undefined;
  try {
    await migrateIfNeeded(database.db);
    const keyFile = masterKeyFile(config.dataDir);
    const keyIsNew = !config.masterKey && !fs.existsSync(keyFile);
    const deps: Deps = {
      db: database.db,
      engine: database.engine,
      config,
      keyring: loadKeyring(config.masterKey, config.dataDir),
      mailer: createMailer(config),
    };
    app = await buildServer(deps);
    let stopSchedule = () => {};
    app.addHook("onClose", async () => {
      stopSchedule();
      deps.mailer?.close();
      await database.close();
    });
    await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
      throw listenFailure(error, config);
    });
    // After listening, so the first scheduled run does not hold up the first requests.
    stopSchedule = startSchedule(deps, app.log);
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    process.stderr.write(
      startupMessage({
        url: browserUrl(config, port),
        setupRequired: await setupRequired(deps),
        newMasterKeyFile: keyIsNew ? keyFile : undefined,
      }),
    );
    return app;
  } catch (error) {
    if (app) await app.close();
    else await database.close();
    throw error;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    attestRoutes: RouteInfo[];
  }
}
