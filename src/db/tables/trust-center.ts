/** Table types of the trust-center migration (src/db/migrations/20261125130000_trust_center.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the area's tables are added
export interface TrustCenterTables {}
