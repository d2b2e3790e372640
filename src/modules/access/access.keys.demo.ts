import { createHash, randomUUID } from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import type {
  AccessKeySystemsTable,
  AccessKeysTable,
  AccessTasksTable,
  HostKeyEntriesTable,
} from "../../db/tables/access.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { sshFingerprint, sshString } from "../../platform/ssh-key-blob.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import type { DemoAccess } from "./access.demo-story.ts";

/**
 * The demo's production keys. Everyone who holds access to a production system has an SSH key
 * (ed25519) registered from their first such grant, opening those systems for as long as the
 * grants last; a leaver's key is revoked with their last grant, through a revocation task. Two
 * engineers hold AWS access keys for the production account. The hosts of the Production API
 * and the customer database were collected every month: each listing holds the keys of the
 * people with access then. The latest listing of api-2 also holds a CI deploy key nobody
 * registered, so production-access-restricted fails for a reason a user can open and fix
 * (register the key to the engineer who owns it, or remove it from the host and collect again).
 */
const HOSTS: Record<string, string[]> = {
  "Production API": ["api-1", "api-2"],
  "Customer database (PostgreSQL)": ["db-1"],
};
const LISTING_EVERY_DAYS = 30;
const LISTINGS = 6;
// Rows per insert: a statement takes at most 65,535 parameters (access_keys has 16 columns).
const BATCH = 2_000;
export const DEMO_UNKNOWN_KEY_COMMENT = "ci-deploy@build-runner-7";

type Grant = DemoAccess["grants"][number];

/** An ed25519 public key blob from the demo's deterministic randomness. */
function ed25519Key(demo: DemoContext) {
  const point = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) point[i] = Math.floor(demo.random() * 256);
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(point)]);
  const base64 = blob.toString("base64");
  return { base64, fingerprint: sshFingerprint(blob) };
}

function awsKeyId(demo: DemoContext): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let id = "AKIA";
  for (let i = 0; i < 16; i++) id += alphabet[Math.floor(demo.random() * alphabet.length)];
  return id;
}

interface Spans {
  systemId: string;
  from: Date;
  to: Date | null;
}

export async function seedDemoKeys(
  db: Kysely<Database>,
  demo: DemoContext,
  data: DemoAccess,
  systems: { id: string; name: string; production: boolean }[],
  ownerOf: Map<string, { personId: string; userId: string | null }>,
) {
  const production = new Map(systems.filter((s) => s.production).map((s) => [s.id, s]));
  const byPerson = new Map<string, Grant[]>();
  for (const grant of data.grants) {
    if (!production.has(grant.system_id) || !grant.granted_at) continue;
    byPerson.set(grant.person_id, [...(byPerson.get(grant.person_id) ?? []), grant]);
  }
  const people = new Map<string, DemoPerson>(demo.people.map((p) => [p.id, p]));
  const keys: Insertable<AccessKeysTable>[] = [];
  const links: Insertable<AccessKeySystemsTable>[] = [];
  const tasks: Insertable<AccessTasksTable>[] = [];
  /** Which key opened which system when: the listings are built from these. */
  const spans: { fingerprint: string; base64: string; comment: string; span: Spans }[] = [];
  for (const [personId, grants] of byPerson) {
    const person = people.get(personId) as DemoPerson;
    const first = new Date(Math.min(...grants.map((g) => (g.granted_at as Date).getTime())));
    const held = grants.some((g) => g.revoked_at === null);
    const revokedAt = held
      ? null
      : new Date(Math.max(...grants.map((g) => (g.revoked_at as Date).getTime())));
    const key = ed25519Key(demo);
    const id = randomUUID();
    const comment = person.email;
    keys.push({
      id,
      organization_id: demo.organizationId,
      person_id: personId,
      kind: "ssh",
      name: "Laptop",
      key_type: "ssh-ed25519",
      fingerprint: key.fingerprint,
      public_key: `ssh-ed25519 ${key.base64}`,
      bits: 256,
      comment,
      created_on: isoDay(first),
      created_at: first,
      created_by: demo.owner.userId,
      revoked_at: revokedAt,
      revoked_by: revokedAt ? demo.owner.userId : null,
      revoke_reason: revokedAt ? "left the company" : null,
    });
    const seen = new Set<string>();
    for (const grant of grants) {
      if (seen.has(grant.system_id)) continue;
      seen.add(grant.system_id);
      const same = grants.filter((g) => g.system_id === grant.system_id);
      const from = new Date(Math.min(...same.map((g) => (g.granted_at as Date).getTime())));
      const open = same.some((g) => g.revoked_at === null);
      const to = open
        ? null
        : new Date(Math.max(...same.map((g) => (g.revoked_at as Date).getTime())));
      links.push({
        organization_id: demo.organizationId,
        key_id: id,
        system_id: grant.system_id,
        added_at: from,
        added_by: demo.owner.userId,
        removed_at: to,
        removed_by: to ? demo.owner.userId : null,
      });
      spans.push({ ...key, comment, span: { systemId: grant.system_id, from, to } });
    }
    // A leaver's key went with their access, through the same revocation work.
    if (revokedAt && person.endDate) {
      const last = grants.find((g) => g.revoked_at?.getTime() === revokedAt.getTime()) as Grant;
      const owner = ownerOf.get(last.system_id) as { personId: string; userId: string | null };
      const endDay = new Date(`${person.endDate}T00:00:00Z`);
      tasks.push({
        organization_id: demo.organizationId,
        kind: "revoke",
        reason: "leaver",
        system_id: last.system_id,
        person_id: personId,
        access_key_id: id,
        assignee_id: owner.personId,
        due_at: addDays(endDay, 3),
        created_at: addDays(endDay, -7) > first ? addDays(endDay, -7) : first,
        completed_at: revokedAt,
        completed_by: owner.userId,
      });
    }
  }
  // Two engineers' AWS access keys for the production account.
  const aws = systems.find((s) => s.name === "AWS production account");
  if (aws) {
    const holders = [...byPerson.entries()]
      .filter(([id, grants]) => {
        const person = people.get(id) as DemoPerson;
        return !person.endDate && grants.some((g) => g.system_id === aws.id && !g.revoked_at);
      })
      .slice(0, 2);
    for (const [personId, grants] of holders) {
      const since = grants.find((g) => g.system_id === aws.id)?.granted_at as Date;
      const created = addDays(since, 2);
      const id = randomUUID();
      keys.push({
        id,
        organization_id: demo.organizationId,
        person_id: personId,
        kind: "cloud",
        name: "AWS CLI",
        key_type: "aws",
        fingerprint: awsKeyId(demo),
        public_key: null,
        bits: null,
        comment: null,
        created_on: isoDay(created),
        created_at: created,
        created_by: demo.owner.userId,
      });
      links.push({
        organization_id: demo.organizationId,
        key_id: id,
        system_id: aws.id,
        added_at: created,
        added_by: demo.owner.userId,
      });
    }
  }

  await withTenant(db, demo.organizationId, async (tx) => {
    for (let i = 0; i < keys.length; i += BATCH) {
      await tx
        .insertInto("access_keys")
        .values(keys.slice(i, i + BATCH))
        .execute();
    }
    for (let i = 0; i < links.length; i += BATCH) {
      await tx
        .insertInto("access_key_systems")
        .values(links.slice(i, i + BATCH))
        .execute();
    }
    if (tasks.length > 0) await tx.insertInto("access_tasks").values(tasks).execute();
    await seedListings(tx, demo, systems, spans);
  });
  for (const key of keys) {
    demo.event({
      at: key.created_at as Date,
      actor: demo.owner,
      action: "access_key.registered",
      targetType: "access_key",
      targetId: key.id as string,
      after: { kind: key.kind, name: key.name, fingerprint: key.fingerprint },
    });
  }
  demo.counts["access keys"] = keys.length;
}

async function seedListings(
  tx: Tx,
  demo: DemoContext,
  systems: { id: string; name: string }[],
  spans: { fingerprint: string; base64: string; comment: string; span: Spans }[],
) {
  const unknown = ed25519Key(demo);
  let listings = 0;
  for (const system of systems) {
    const hosts = HOSTS[system.name];
    if (!hosts) continue;
    for (const host of hosts) {
      for (let n = LISTINGS - 1; n >= 0; n--) {
        const collectedAt = addDays(demo.now, -(n * LISTING_EVERY_DAYS + 2));
        collectedAt.setUTCHours(3, 15, 0, 0);
        const present = spans.filter(
          (s) =>
            s.span.systemId === system.id &&
            s.span.from <= collectedAt &&
            (s.span.to === null || s.span.to > collectedAt),
        );
        const lines = present.map((s) => ({ ...s, type: "ssh-ed25519" }));
        if (n === 0 && host === "api-2") {
          lines.push({
            ...unknown,
            comment: DEMO_UNKNOWN_KEY_COMMENT,
            type: "ssh-ed25519",
          } as never);
        }
        const content = `${lines.map((l) => `${l.type} ${l.base64} ${l.comment}`).join("\n")}\n`;
        const id = randomUUID();
        await tx
          .insertInto("host_key_listings")
          .values({
            id,
            organization_id: demo.organizationId,
            system_id: system.id,
            host,
            collected_at: collectedAt,
            received_at: collectedAt,
            collected_by: demo.owner.userId,
            source: "cli",
            files: JSON.stringify(["/home/deploy/.ssh/authorized_keys"]),
            key_count: lines.length,
            problems: "[]",
            sha256: createHash("sha256").update(content).digest("hex"),
          })
          .execute();
        const entries: HostKeyEntriesTable[] = lines.map((l, i) => ({
          listing_id: id,
          organization_id: demo.organizationId,
          ordinal: i + 1,
          file: "/home/deploy/.ssh/authorized_keys",
          line: i + 1,
          key_type: "ssh-ed25519",
          fingerprint: l.fingerprint,
          bits: 256,
          comment: l.comment,
          options: null,
        }));
        for (let i = 0; i < entries.length; i += BATCH) {
          await tx
            .insertInto("host_key_entries")
            .values(entries.slice(i, i + BATCH))
            .execute();
        }
        listings++;
        demo.event({
          at: collectedAt,
          actor: demo.owner,
          action: "host_key_listing.collected",
          targetType: "host_key_listing",
          targetId: id,
          after: { host, system: system.name, keys: lines.length, problems: 0 },
        });
      }
    }
  }
  demo.counts["host key listings"] = listings;
}
