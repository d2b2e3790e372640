import { scimClient, scimGroup } from "../../../factories/scim.ts";
import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the SCIM token routes (issue 16); /scim/v2 itself has its own tests. */
let sequence = 0;

async function aScimToken(owner: Person): Promise<{ scimTokenId: string }> {
  sequence++;
  const reply = await owner.client.post("/api/v1/scim-tokens", { name: `IdP ${sequence}` });
  if (reply.status !== 201)
    throw new Error(`scim token: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { scimTokenId: reply.body.id as string };
}

export const scimBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => aScimToken(owner),
  requests: {
    "POST /api/v1/scim-tokens": { as: "owner", body: { name: "" }, fields: ["name"] },
    "POST /api/v1/scim-tokens/:id/revoke": {
      as: "owner",
      url: () => "/api/v1/scim-tokens/not-a-token/revoke",
      fields: ["id"],
    },
    "PATCH /api/v1/scim-groups/:id": {
      as: "owner",
      url: (f) => `/api/v1/scim-groups/${f.member.id}`,
      body: { jobRole: "" },
      fields: ["jobRole"],
    },
  },
};

/** The same made well (the WELL_MADE table spreads these in). */
export const scimWellMade: Record<string, WellMade> = {
  "POST /api/v1/scim-tokens": { body: { name: "Okta" }, status: 201 },
  "POST /api/v1/scim-tokens/:id/revoke": {
    prepare: (c: WellMadeContext) => aScimToken(c.f.owner),
    url: (_f, ids) => `/api/v1/scim-tokens/${ids.scimTokenId}/revoke`,
    status: 200,
  },
  "PATCH /api/v1/scim-groups/:id": {
    prepare: async (c: WellMadeContext) => {
      const scim = await scimClient({
        t: c.t,
        id: c.f.owner.organizationId,
        name: "",
        owner: c.f.owner,
      });
      const group = await scimGroup(scim, { displayName: "okta-finance" });
      return { groupId: group.id as string };
    },
    url: (_f, ids) => `/api/v1/scim-groups/${ids.groupId}`,
    body: { jobRole: "Accountant" },
    status: 200,
  },
};
