import type { FastifyBaseLogger } from "fastify";
import { withSystem } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { checkStorage } from "../../platform/storage-check.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { recordAttestAtRestCheck } from "./encryption.attest.ts";

/** The actor of the automated confirmations this job records. */
export const SELF_CHECK_ACTOR = "attest self-check";
const DAY_MS = 24 * 60 * 60_000;
/** A little under a day, so a check does not drift later by a scheduled run every day. */
const EVERY_MS = DAY_MS - 30 * 60_000;

/**
 * Attest's check of its own storage (platform/storage-check.ts), once a day: each scheduled
 * run re-reads the key file (so this node takes up a rotation), then, when no automated
 * confirmation of it was recorded in the last day, checks the storage and records the result
 * as an at-rest confirmation of the "Attest" system in every organization.
 */
export async function runStorageSelfCheck(
  deps: Deps,
  now: Date,
  log: FastifyBaseLogger,
  options: { force?: boolean; sample?: number } = {},
): Promise<boolean> {
  deps.keyring.refresh();
  if (!options.force && !(await due(deps, now))) return false;
  const result = await checkStorage(deps.db, deps.keyring, {
    dataDir: deps.config.dataDir,
    sample: options.sample,
  });
  if (!result.passed) log.warn({ problems: result.problems }, "Attest's storage check failed");
  await recordAttestAtRestCheck(deps.db, {
    checkedAt: now,
    passed: result.passed,
    detail: result.detail,
    actorName: SELF_CHECK_ACTOR,
  });
  return true;
}

async function due(deps: Deps, now: Date): Promise<boolean> {
  const last = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("encryption_confirmations")
      .select((eb) => eb.fn.max("confirmed_at").as("at"))
      .where("method", "=", "automated")
      .where("actor_name", "=", SELF_CHECK_ACTOR)
      .executeTakeFirst(),
  );
  const at = last?.at ? new Date(last.at).getTime() : 0;
  return now.getTime() - at >= EVERY_MS;
}

export const selfCheckJobs: readonly ScheduledJob[] = [
  {
    name: "attest-storage-check",
    run: (deps, now, log) => runStorageSelfCheck(deps, now, log).then(() => {}),
  },
];
