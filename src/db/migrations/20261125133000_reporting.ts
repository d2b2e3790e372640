import type { Kysely } from "kysely";

/** The confidential reporting channel: encrypted reports and messages. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(_db: Kysely<any>): Promise<void> {}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(_db: Kysely<any>): Promise<void> {}
