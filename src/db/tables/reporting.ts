/** Table types of the reporting migration (src/db/migrations/20261125133000_reporting.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the area's tables are added
export interface ReportingTables {}
