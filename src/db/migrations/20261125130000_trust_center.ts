import type { Kysely } from "kysely";

/** The public trust center: settings as a draft and publications (history of what was shown). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(_db: Kysely<any>): Promise<void> {}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(_db: Kysely<any>): Promise<void> {}
