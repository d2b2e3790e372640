import { isoDay } from "../../src/domain/dates.ts";
import type { Org } from "../factories.ts";
import { addPerson, type Client, type Person, type Reply } from "../helpers/app.ts";
import { storedIncident } from "./incidents-stored.ts";

/**
 * Lessons learned through the API (issue 14: lessons): a resolved incident stored in the past,
 * its lessons written by the owner, submitted, approved and shared by an admin, and an action
 * item the admin owns.
 */

/** Every section of a lessons-learned document, filled in. */
export const LESSONS_TEXT = {
  whatHappened: "A misconfigured bucket exposed build logs for two hours.",
  impact: "No customer data; internal hostnames were visible.",
  rootCause: "A Terraform module defaulted to public-read.",
  timeline: "10:02 alert, 10:15 triaged, 12:01 bucket closed.",
  wentWell: "The alert fired within minutes.",
  toImprove: "Block public buckets at the account level.",
};

function expectOk(reply: Reply, what: string) {
  if (reply.status !== 200 && reply.status !== 201) {
    throw new Error(`factory ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

export async function putLessons(client: Client, incidentId: string, text = LESSONS_TEXT) {
  return client.request("PUT", `/api/v1/incidents/${incidentId}/lessons`, text);
}

/** The lessons of an incident written and submitted by `author`, approved by `approver`. */
export async function approvedLessons(author: Client, approver: Client, incidentId: string) {
  expectOk(await putLessons(author, incidentId), "write lessons");
  expectOk(await author.post(`/api/v1/incidents/${incidentId}/lessons/submit`), "submit lessons");
  return expectOk(
    await approver.post(`/api/v1/incidents/${incidentId}/lessons/approve`),
    "approve lessons",
  );
}

/** An action item of the incident's lessons, owned by `ownerId`, due in `dueInDays`. */
export async function actionItem(
  client: Client,
  incidentId: string,
  ownerId: string,
  overrides: { title?: string; dueInDays?: number } = {},
) {
  const dueOn = isoDay(new Date(Date.now() + (overrides.dueInDays ?? 14) * 86_400_000));
  return expectOk(
    await client.post(`/api/v1/incidents/${incidentId}/lessons/action-items`, {
      title: overrides.title ?? "Block public buckets at the account level",
      ownerId,
      dueOn,
    }),
    "add action item",
  );
}

/**
 * A resolved incident with approved, shared lessons learned and one action item: the ids of
 * the incident, the lessons and the item, and the admin who approved.
 */
export async function sharedLessons(org: Org, approver?: Person, title?: string) {
  const admin = approver ?? (await addPerson(org.t, org.owner, "admin", `Approver of ${org.name}`));
  const { id } = await storedIncident(org, { resolvedHoursAgo: 24, ...(title ? { title } : {}) });
  const lessons = await approvedLessons(org.owner.client, admin.client, id);
  const item = await actionItem(org.owner.client, id, admin.id);
  return {
    incidentId: id,
    lessonsId: lessons.id as string,
    actionItemId: item.id as string,
    admin,
  };
}
