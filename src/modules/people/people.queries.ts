import type { Tx } from "../../db/tenant.ts";
import { userNames } from "../users/users.queries.ts";

/**
 * The audit log's labels of people, and of users: a user's page is their person's when the
 * account is linked to one (the people area owns that link), else the list of users.
 */
export const peopleAuditTargets = {
  person: {
    find: async (tx: Tx, ids: string[]) =>
      (await tx.selectFrom("people").select(["id", "name"]).where("id", "in", ids).execute()).map(
        (r) => ({ id: r.id, name: r.name, path: `/people/${encodeURIComponent(r.id)}` }),
      ),
  },
  user: {
    find: async (tx: Tx, ids: string[]) => {
      const names = await userNames(tx, ids);
      if (names.size === 0) return [];
      const people = await tx
        .selectFrom("people")
        .select(["id", "user_id"])
        .where("user_id", "in", [...names.keys()])
        .execute();
      const personOf = new Map(people.map((p) => [p.user_id, p.id]));
      return [...names].map(([id, name]) => {
        const person = personOf.get(id);
        return {
          id,
          name,
          path: person ? `/people/${encodeURIComponent(person)}` : "/settings/users",
        };
      });
    },
  },
};
