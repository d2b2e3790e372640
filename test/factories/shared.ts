import type { Org } from "../factories.ts";
import type { Client, Reply } from "../helpers/app.ts";

/** What the area factories share: a reply's body checked, and the people of users. */

/** Answers the body of a reply with one of the expected statuses, or throws with what came. */
export function factoryBody(reply: Reply, what: string, ...statuses: number[]) {
  if (!statuses.includes(reply.status)) {
    throw new Error(`factory ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

/** The person linked to a user (every user has one). */
export async function personIdOfUser(client: Client, userId: string): Promise<string> {
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = factoryBody(await client.get(`/api/v1/people?limit=200${query}`), "people", 200);
    const found = page.items.find((p: { userId: string | null }) => p.userId === userId);
    if (found) return found.id as string;
    cursor = page.nextCursor;
  } while (cursor);
  throw new Error(`user ${userId} has no person`);
}

const ownerPeople = new WeakMap<Org, string>();

/** The person of the organization's owner. */
export async function ownerPersonId(org: Org): Promise<string> {
  const known = ownerPeople.get(org);
  if (known) return known;
  const found = await personIdOfUser(org.owner.client, org.owner.id);
  ownerPeople.set(org, found);
  return found;
}
