import { type Kysely, sql } from "kysely";

/**
 * Trust centers list the controls an admin chose (`controlSelection: "chosen"`), none until
 * they choose; before, they listed every control not hidden. The trust centers that exist
 * keep what they show: their draft and every publication are marked
 * `controlSelection: "all"`, which keeps that meaning, and an organization that published
 * without ever saving a draft gets a draft row saying so (its draft was the old default). A
 * trust center created from now on starts with nothing chosen.
 *
 * The rows are under forced row-level security, so the statements run as attest_system.
 */
const ALL = JSON.stringify({ controlSelection: "all" });

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await asSystem(db, async () => {
    await sql`
      UPDATE trust_centers SET draft = draft || ${ALL}::jsonb
        WHERE NOT draft ? 'controlSelection'`.execute(db);
    await sql`
      UPDATE trust_center_publications SET settings = settings || ${ALL}::jsonb
        WHERE NOT settings ? 'controlSelection'`.execute(db);
    await sql`
      INSERT INTO trust_centers (organization_id, draft)
        SELECT DISTINCT p.organization_id, ${ALL}::jsonb FROM trust_center_publications p
        WHERE NOT EXISTS (
          SELECT 1 FROM trust_centers c WHERE c.organization_id = p.organization_id)`.execute(db);
  });
}

/**
 * Back to hidden lists: a chosen selection becomes the categories and controls it leaves out,
 * computed from each organization's catalog. "Only in place" has no equivalent and is dropped.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await asSystem(db, async () => {
    for (const [table, column, id] of [
      ["trust_centers", "draft", "organization_id"],
      ["trust_center_publications", "settings", "id"],
    ] as const) {
      const rows = await sql<{ id: string; organization_id: string; value: Chosen }>`
        SELECT ${sql.ref(id)} AS id, organization_id, ${sql.ref(column)} AS value
        FROM ${sql.table(table)}
        WHERE ${sql.ref(column)}->>'controlSelection' = 'chosen'`.execute(db);
      for (const row of rows.rows) {
        const catalog = await sql<{ key: string; category: string }>`
          SELECT key, category FROM controls WHERE organization_id = ${row.organization_id}`.execute(
          db,
        );
        const hidden = hiddenLists(row.value, catalog.rows);
        await sql`
          UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sql.ref(column)} || ${JSON.stringify(hidden)}::jsonb
          WHERE ${sql.ref(id)} = ${row.id}`.execute(db);
      }
      await sql`
        UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sql.ref(column)}
          - 'controlSelection' - 'shownCategories' - 'shownControls' - 'onlyInPlace'`.execute(db);
    }
  });
}

interface Chosen {
  shownCategories?: string[];
  shownControls?: string[];
}

function hiddenLists(chosen: Chosen, catalog: { key: string; category: string }[]) {
  const categories = new Set(chosen.shownCategories ?? []);
  const controls = new Set(chosen.shownControls ?? []);
  const hiddenCategories = new Set<string>();
  const hiddenControls: string[] = [];
  const partly = new Set(
    catalog
      .filter((c) => controls.has(c.key) && !categories.has(c.category))
      .map((c) => c.category),
  );
  for (const control of catalog) {
    if (categories.has(control.category)) continue;
    if (!partly.has(control.category)) hiddenCategories.add(control.category);
    else if (!controls.has(control.key)) hiddenControls.push(control.key);
  }
  return { hiddenCategories: [...hiddenCategories], hiddenControls };
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
async function asSystem(db: Kysely<any>, work: () => Promise<void>): Promise<void> {
  await sql`SET LOCAL ROLE attest_system`.execute(db);
  try {
    await work();
  } finally {
    await sql`RESET ROLE`.execute(db);
  }
}
