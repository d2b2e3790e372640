/** Table types of the notices migration (src/db/migrations/20261125132000_notices.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the area's tables are added
export interface NoticesTables {}
