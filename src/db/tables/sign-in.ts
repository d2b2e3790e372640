import type { ColumnType } from "kysely";

/** Table types of the sign-in throttle migration (20261202070000_sign_in_throttles.ts). */
export interface SignInThrottlesTable {
  /** HMAC of the normalized email: unknown emails are counted too, and none is stored. */
  account_key: string;
  failures: ColumnType<number, number | undefined, number>;
  last_attempt_at: Date;
  locked_until: Date | null;
}

export interface SignInTables {
  sign_in_throttles: SignInThrottlesTable;
}
