import { IMPORT_LIMIT_BYTES } from "../../platform/csv.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  listingBody,
  listingCollectedView,
  listingDetailView,
  listingEntriesQuery,
  listingSummaryView,
  listingsQuery,
  listingUploadQuery,
} from "./access.listings.schema.ts";
import { collectListing, getListing, type ListingUpload, listListings } from "./access.listings.ts";

/**
 * authorized_keys listings collected from hosts (issue 12): uploading one needs access.manage
 * (an owner's or admin's API token, as `attest collect ssh-keys` sends it); reading needs
 * access.read.
 */
const tags = ["access"];

const HOW =
  "The body is JSON {system (a name) or systemId, host, collectedAt?, files: [{name, content}]}, " +
  "or one file's text itself (Content-Type: text/plain) with ?system=NAME (or systemId), &host=H " +
  "and optionally &file=NAME and &collectedAt. The server parses the files in OpenSSH's " +
  "authorized_keys format and fingerprints each key as ssh-keygen -l does; a malformed line is " +
  "a problem with its line number, never a failure. Up to 32 MiB.";

/** The `attest collect` command says who it is; anything else is an upload through the API. */
function sourceOf(userAgent: string | undefined): ListingUpload["source"] {
  return userAgent?.startsWith("attest-cli/") ? "cli" : "api";
}

export function hostListingRoutes(app: App, deps: Deps): void {
  app.post(
    "/api/v1/key-listings",
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      config: { access: "access.manage" },
      schema: {
        tags,
        summary:
          "Records what a host's authorized_keys files allowed, with each key's registered owner",
        description: HOW,
        querystring: listingUploadQuery,
        body: listingBody,
        response: { 201: listingCollectedView, 413: problemSchema },
      },
    },
    async (request, reply) => {
      const source = sourceOf(request.headers["user-agent"]);
      const body = request.body;
      let upload: ListingUpload;
      if (typeof body === "string") {
        const query = request.query;
        if (!query.host)
          throw errors.validation("host", "name the host (?host=) the file comes from");
        upload = {
          system: query.system,
          systemId: query.systemId,
          host: query.host,
          collectedAt: query.collectedAt,
          files: [{ name: query.file ?? "-", content: body }],
          source,
        };
      } else {
        upload = { ...body, source };
      }
      return reply.code(201).send(await collectListing(contextOf(request, deps), upload));
    },
  );

  app.get(
    "/api/v1/key-listings",
    {
      config: { access: "access.read" },
      schema: {
        tags,
        summary: "Listings collected from hosts, newest collection first",
        querystring: listingsQuery,
        response: { 200: listOf(listingSummaryView) },
      },
    },
    async (request) => listListings(contextOf(request, deps), request.query),
  );

  app.get(
    "/api/v1/key-listings/:id",
    {
      config: { access: "access.read" },
      schema: {
        tags,
        summary: "A listing with a page of its entries, each with whom its key is registered to",
        params: idParams,
        querystring: listingEntriesQuery,
        response: { 200: listingDetailView },
      },
    },
    async (request) => getListing(contextOf(request, deps), request.params.id, request.query),
  );
}
