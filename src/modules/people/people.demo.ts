import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import { addDemoAccounts, demoEmailDomain } from "../users/users.demo.ts";

const FIRST = (
  "Amara Ben Chloe Dmitri Elena Farid Grace Hiro Imani Jonas Keiko Liam Maya Nikolai Olivia " +
  "Priya Quentin Rosa Samuel Tara Umar Vera Wen Xavier Yara Zoe Aisha Bruno Carmen Diego Esther " +
  "Felix Gabriela Hugo Ines Jamal Kofi Lena Mateo Nadia Oscar Paula Rafael Sofia Tomas Ursula " +
  "Victor Wanda Yusuf Zainab Adele Bilal Clara Daniel Emeka Freya Gustav Hana Ivan Julia Karim " +
  "Leila Marco Noor Otto Pilar Ravi Selin Theo Uma Valentina Wiktor Ximena Yosef Zara Anton " +
  "Beatriz Cyrus Dalia Elias Fatima Giorgio Helena Idris Johanna Kamal Lucia Mikael Nina Omar " +
  "Petra Rohan Saoirse Tobias Amelie Ngozi Sven Laila Arjun Ingrid"
).split(" ");
const LAST = (
  "Okafor Lindqvist Moreau Tanaka Haddad Novak Fernandes Kowalski Osei Brennan Castillo Ahmed " +
  "Fischer Nakamura Rossi Adeyemi Hansen Dubois Petrov Silva Mensah Jansen Kaur Romero Weber " +
  "Murphy Sato Ivanova Costa Nwosu Berg Laurent Horvat Reyes Yilmaz Schmidt Kim Bianchi Eriksen " +
  "Abara Popescu Delgado Chen Walsh Varga Lund Mbeki Richter Suzuki Marino Quinn Aziz Olsen " +
  "Navarro Keller Banerjee Duarte Fontaine Lopez Mwangi Hartmann Kaya Sorensen Vidal Ito Byrne " +
  "Mendes Kruger Farouk Ortega Lehmann Park Esposito Ncube Holm Barros Fournier Wagner Ali " +
  "Moretti Tran Gallagher Sandoval Vogel Eze Nilsson Cruz Bauer Haas Ansah Lindgren Pereira " +
  "Kovacs Hoffmann Rahman Ruiz Morales Strand Dimitrov Yamamoto"
).split(" ");
const JOB_ROLES = [
  ["Engineer", 34],
  ["Product", 8],
  ["Design", 6],
  ["Sales", 14],
  ["Customer Success", 12],
  ["Finance", 5],
  ["People", 4],
  ["Security", 4],
  ["Marketing", 7],
  ["Operations", 6],
] as const;

/**
 * Demo Co's people: the founders four years ago, then steady hiring, one in twelve gone again.
 * Each has an account (role member; a few admins and editors). The newest started last week;
 * the one before joined seven weeks ago. Names are unique without numbers (100 × 100 pairs).
 */
export async function seedDemoPeople(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  const total = demo.size === "small" ? 40 : 10_000;
  demo.progress(`people: ${total}`);
  const roleWheel = JOB_ROLES.flatMap(([role, weight]) => Array<string>(weight).fill(role));
  const founded = addDays(demo.now, -1460);
  const domain = await demoEmailDomain(db);
  const owner = await withTenant(db, demo.organizationId, async (tx) =>
    tx
      .updateTable("people")
      .set({ job_role: "Security", start_date: isoDay(founded) })
      .where("user_id", "=", demo.owner.userId)
      .returning(["id", "name", "email", "start_date"])
      .executeTakeFirstOrThrow(),
  );
  demo.people.push({
    id: owner.id,
    name: owner.name,
    email: owner.email,
    jobRole: "Security",
    startDate: owner.start_date,
    endDate: null,
    userId: demo.owner.userId,
  });
  for (let start = 1; start < total; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, total - start) }, (_, k) => {
      const i = start + k;
      const first = FIRST[i % FIRST.length] as string;
      const last = LAST[(Math.floor(i / FIRST.length) + (i % FIRST.length) * 3) % LAST.length];
      // Hiring grows over four years: later people started more recently. The last two
      // joined seven weeks and six days ago.
      const share = i / total;
      const ago =
        i === total - 1 ? 6 : i === total - 2 ? 48 : Math.round(1460 * (1 - share) ** 1.4) + 60;
      const started = addDays(demo.now, -ago);
      const leaves = i % 12 === 5 && ago > 200;
      // Leavers left in the past ten months, at least two months after they started.
      const ended = leaves
        ? addDays(demo.now, -10 - Math.floor(demo.random() * Math.min(280, ago - 70)))
        : null;
      const role =
        i < 4 ? "Engineer" : (roleWheel[Math.floor(demo.random() * roleWheel.length)] as string);
      return {
        name: `${first} ${last}`,
        email: `${first}.${last}@${domain}`.toLowerCase(),
        jobRole: role,
        started,
        ended,
        role:
          i === 1
            ? ("admin" as const)
            : i === 2 || i === 3
              ? ("editor" as const)
              : ("member" as const),
      };
    });
    const people = await withTenant(db, demo.organizationId, async (tx) => {
      const userIds = await addDemoAccounts(
        tx,
        demo.organizationId,
        batch.map((p) => ({
          name: p.name,
          email: p.email,
          role: p.role,
          createdAt: p.started,
          active: p.ended === null,
        })),
      );
      const rows = await tx
        .insertInto("people")
        .values(
          batch.map((p, k) => ({
            organization_id: demo.organizationId,
            user_id: userIds[k] as string,
            name: p.name,
            email: p.email,
            job_role: p.jobRole,
            start_date: isoDay(p.started),
            end_date: p.ended ? isoDay(p.ended) : null,
            created_at: new Date(Math.max(+p.started, +demo.programStart)),
          })),
        )
        .returning(["id", "email"])
        .execute();
      const ids = new Map(rows.map((row) => [row.email, row.id]));
      return batch.map(
        (p, k): DemoPerson => ({
          id: ids.get(p.email) as string,
          name: p.name,
          email: p.email,
          jobRole: p.jobRole,
          startDate: isoDay(p.started),
          endDate: p.ended ? isoDay(p.ended) : null,
          userId: userIds[k] as string,
        }),
      );
    });
    demo.people.push(...people);
  }
  // The year's joiners and leavers, as HR told the audit trail.
  for (const person of demo.people.slice(1)) {
    const started = new Date(`${person.startDate}T09:00:00Z`);
    if (started >= demo.programStart) {
      demo.event({
        at: addDays(started, -7),
        actor: demo.owner,
        action: "person.created",
        targetType: "person",
        targetId: person.id,
        after: { name: person.name, jobRole: person.jobRole, startDate: person.startDate },
      });
    }
    if (person.endDate) {
      demo.event({
        at: new Date(`${person.endDate}T17:00:00Z`),
        actor: demo.owner,
        action: "person.updated",
        targetType: "person",
        targetId: person.id,
        before: { endDate: null },
        after: { endDate: person.endDate },
      });
    }
  }
  await seedDemoStructure(db, demo);
  demo.counts.people = demo.people.length;
}

/**
 * Who reports to whom (a tree eight wide under the founders), one in ten engineers, designers
 * and marketers a contractor, and each person's dated job roles: some changed role during the
 * year, so the access area has role changes to show.
 */
async function seedDemoStructure(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  const [owner] = demo.people;
  if (!owner) return;
  const changedAt = addDays(demo.now, -120);
  for (let start = 0; start < demo.people.length; start += 1000) {
    const batch = demo.people.slice(start, start + 1000).map((person, k) => {
      const i = start + k;
      const boss = i === 0 ? null : (demo.people[Math.floor(i / 8)] ?? owner);
      const manager = boss && boss.endDate === null && boss.id !== person.id ? boss : owner;
      const contractor =
        i % 10 === 3 && ["Engineer", "Design", "Marketing"].includes(person.jobRole ?? "");
      const started = new Date(`${person.startDate}T00:00:00Z`);
      const moved = i % 40 === 9 && started < addDays(changedAt, -60) && person.endDate === null;
      return { person, manager: i === 0 ? null : manager.id, contractor, started, moved };
    });
    await withTenant(db, demo.organizationId, async (tx) => {
      const values = batch.map(
        (b) =>
          sql`(${b.person.id}::uuid, ${b.manager}::uuid, ${b.contractor ? "contractor" : "employee"})`,
      );
      await sql`
        UPDATE people SET manager_id = v.manager_id, employment_type = v.employment_type
        FROM (VALUES ${sql.join(values)}) AS v(id, manager_id, employment_type)
        WHERE people.id = v.id`.execute(tx);
      // The owner's role was dated when their account was made: from the founding instead.
      await tx
        .updateTable("person_job_roles")
        .set({ job_role: owner.jobRole, valid_from: new Date(`${owner.startDate}T00:00:00Z`) })
        .where("person_id", "=", owner.id)
        .execute();
      await tx
        .insertInto("person_job_roles")
        .values(
          batch
            .filter((b) => b.person.id !== owner.id)
            .flatMap((b) => {
              const role = b.person.jobRole;
              const before = role === "Customer Success" ? "Sales" : "Customer Success";
              const base = { organization_id: demo.organizationId, person_id: b.person.id };
              return b.moved
                ? [
                    { ...base, job_role: before, valid_from: b.started, valid_to: changedAt },
                    { ...base, job_role: role, valid_from: changedAt, valid_to: null },
                  ]
                : [{ ...base, job_role: role, valid_from: b.started, valid_to: null }];
            }),
        )
        .execute();
    });
    for (const b of batch.filter((b) => b.moved)) {
      demo.event({
        at: changedAt,
        actor: demo.owner,
        action: "person.updated",
        targetType: "person",
        targetId: b.person.id,
        before: { jobRole: b.person.jobRole === "Customer Success" ? "Sales" : "Customer Success" },
        after: { jobRole: b.person.jobRole },
      });
    }
  }
}
