import { sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";

/**
 * production-access-restricted (CONTROLS.md): keys-unique and hosts-match-registry. Both read
 * the key registry, the authorized_keys listings collected from hosts, the people and the
 * inventory as they stood at asOf. A key is registered from the day it was made until it is
 * revoked; it opens a system from when the link was added until it was removed. A host's
 * listing counts until a newer one of the same system and host replaces it.
 */
const CONTROLS = ["production-access-restricted"] as const;
const SOURCES = ["access", "people", "systems"] as const;
/** hosts-match-registry: a host's latest listing older than this is due to be collected again. */
export const LISTING_FRESH_DAYS = 90;

/** The CTEs both checks share: production systems, people, registered keys, latest listings. */
function common(context: TestContext) {
  const { tx, asOf } = context;
  return sql`
    sy as materialized (${systemsAsOf(tx, asOf)}),
    prod as (select id, name from sy where production),
    p as materialized (${peopleAsOf(tx, asOf)}),
    k as (
      select k.id, k.person_id, k.kind, k.name, k.fingerprint
      from access_keys k
      where k.created_on <= ${isoDay(asOf)}::date and (k.revoked_at is null or k.revoked_at > ${asOf})
    ),
    latest as (
      select distinct on (l.system_id, l.host) l.id, l.system_id, l.host, l.collected_at
      from host_key_listings l
      where l.collected_at <= ${asOf} and l.system_id in (select id from prod)
      order by l.system_id, l.host, l.collected_at desc, l.id desc
    )`;
}

// --- keys-unique ---------------------------------------------------------------------------

interface KeyFinding {
  kind: "key" | "listing";
  id: string;
  name: string;
  fingerprint: string;
  person_name: string | null;
  end_date: string | null;
  others: string | null;
  host: string | null;
  system_name: string | null;
  finding: "shared" | "departed" | "inactive" | "unregistered" | "leaving";
}

const KEY_ACTIONS: Record<KeyFinding["finding"], (f: KeyFinding) => string> = {
  shared: (f) =>
    `Key ${f.fingerprint} is registered to several people (${f.others}): each person needs a key of their own; revoke this one and have each make their own.`,
  departed: (f) =>
    `${f.person_name} left on ${f.end_date} but their key ${f.name} still opens production: revoke it and remove it from the hosts.`,
  inactive: (f) =>
    `${f.person_name} is not active (not started yet) but their key ${f.name} opens production: remove it from production until they start, or revoke it.`,
  unregistered: (f) =>
    `Key ${f.fingerprint} is on host ${f.host} (${f.system_name}) but registered to nobody: register it to the one person it belongs to, or remove it from the host.`,
  leaving: (f) =>
    `${f.person_name} leaves on ${f.end_date}: revoke their key ${f.name} by then and remove it from the hosts.`,
};

async function keysUnique(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const day = isoDay(asOf);
  const warnDay = isoDay(addDays(asOf, settings.accessExceptionWarnDays));
  const result = await sql<KeyFinding & { in_scope: string; failing: string; due_soon: string }>`
    with ${common(context)},
    linked as (
      select distinct ks.key_id from access_key_systems ks
      join prod on prod.id = ks.system_id
      where ks.added_at <= ${asOf} and (ks.removed_at is null or ks.removed_at > ${asOf})
    ),
    onhost as (
      select distinct on (e.fingerprint) e.fingerprint, l.id as listing_id, l.host,
        prod.name as system_name
      from host_key_entries e
      join latest l on l.id = e.listing_id
      join prod on prod.id = l.system_id
      order by e.fingerprint, l.collected_at desc, l.id
    ),
    -- Every registration of a key that opens production (one of its registrations is linked
    -- to a production system, or it is on a production host) is in scope.
    scoped as (
      select k.* from k
      where (k.kind, k.fingerprint) in (
          select kl.kind, kl.fingerprint from k kl where kl.id in (select key_id from linked))
        or (k.kind = 'ssh' and k.fingerprint in (select fingerprint from onhost))
    ),
    owners as (
      select k.kind, k.fingerprint, count(distinct k.person_id) as people,
        string_agg(distinct coalesce(pp.name, '?'), ', ') as names
      from k left join p pp on pp.id = k.person_id
      group by k.kind, k.fingerprint
    ),
    judged as (
      select 'key'::text as kind, s.id::text as id, s.name, s.fingerprint, p.name as person_name,
        p.end_date::text as end_date, o.names as others, null::text as host,
        null::text as system_name,
        case when o.people > 1 then 'shared'
             when p.end_date is not null and p.end_date <= ${day}::date then 'departed'
             when not coalesce(p.active, false) then 'inactive'
             when p.end_date is not null and p.end_date <= ${warnDay}::date then 'leaving'
        end as finding
      from scoped s
      join owners o on o.kind = s.kind and o.fingerprint = s.fingerprint
      left join p on p.id = s.person_id
    ),
    unregistered as (
      select 'listing'::text as kind, h.listing_id::text as id, h.fingerprint as name,
        h.fingerprint, null::text as person_name, null::text as end_date, null::text as others,
        h.host, h.system_name, 'unregistered'::text as finding
      from onhost h
      where not exists (select 1 from k where k.kind = 'ssh' and k.fingerprint = h.fingerprint)
    ),
    found as (
      select * from judged where finding is not null
      union all select * from unregistered
    )
    select (select count(*) from scoped) + (select count(*) from unregistered) as in_scope,
      (select count(*) from found where finding <> 'leaving') as failing,
      (select count(*) from found where finding = 'leaving') as due_soon,
      f.*
    from (select 1) one
    left join lateral (
      select * from found
      order by finding = 'leaving', finding, fingerprint, id
      limit ${MAX_STORED_OFFENDERS}
    ) f on true`.execute(tx);
  const first = result.rows[0];
  if (Number(first?.in_scope ?? 0) === 0) {
    return {
      state: "not_applicable",
      message: "No SSH key or access key opens a production system.",
      offenders: [],
    };
  }
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((f) => ({
      kind: f.kind === "key" ? "access_key" : "host_key_listing",
      id: f.id,
      label:
        f.kind === "key"
          ? `${f.name} (${f.fingerprint}) of ${f.person_name ?? "a removed person"}`
          : `${f.fingerprint} on ${f.host}`,
      link: f.kind === "key" ? `/access-keys/${f.id}` : `/key-listings/${f.id}`,
      action: KEY_ACTIONS[f.finding](f),
      state: f.finding === "leaving" ? "due_soon" : "failing",
      ...(f.finding === "leaving" && f.end_date
        ? { dueAt: new Date(`${f.end_date}T00:00:00Z`).toISOString() }
        : {}),
    }));
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} keys that open production are shared, belong to someone who left or is not active, or are registered to nobody.`,
      offenders,
      offenderCount: failing + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} keys that open production belong to people who leave soon.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message: `Every one of the ${first?.in_scope} keys that open production belongs to exactly one active person.`,
    offenders: [],
  };
}

// --- hosts-match-registry ------------------------------------------------------------------

interface EntryFinding {
  id: string;
  listing_id: string;
  fingerprint: string;
  file: string;
  line: number;
  host: string;
  system_name: string;
  person_name: string | null;
  collected_on: string;
  finding: "unknown" | "shared" | "departed" | "no_grant" | "stale";
}

const ENTRY_ACTIONS: Record<EntryFinding["finding"], (f: EntryFinding) => string> = {
  unknown: (f) =>
    `Key ${f.fingerprint} (${f.file} line ${f.line}) was on ${f.host} on ${f.collected_on} but registered to nobody: register it to its one owner or remove it from the host.`,
  shared: (f) =>
    `Key ${f.fingerprint} on ${f.host} is registered to several people: give each their own key and remove this one from the host.`,
  departed: (f) =>
    `Key ${f.fingerprint} on ${f.host} belongs to ${f.person_name}, who was not active on ${f.collected_on}: remove it from the host and revoke it.`,
  no_grant: (f) =>
    `Key ${f.fingerprint} on ${f.host} belongs to ${f.person_name}, who had no access to ${f.system_name} on ${f.collected_on}: remove it from the host, or grant the access through a request.`,
  stale: (f) =>
    `The latest listing of ${f.host} (${f.system_name}) was collected on ${f.collected_on}: collect it again (attest collect ssh-keys).`,
};

async function hostsMatchRegistry(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf } = context;
  const staleBefore = addDays(asOf, -LISTING_FRESH_DAYS);
  const result = await sql<
    EntryFinding & { listings: string; entries: string; failing: string; due_soon: string }
  >`
    with ${common(context)},
    entries as (
      select e.listing_id, e.ordinal, e.fingerprint, e.file, e.line, l.host, l.system_id,
        l.collected_at, prod.name as system_name, reg.owners, reg.owner_id
      from host_key_entries e
      join latest l on l.id = e.listing_id
      join prod on prod.id = l.system_id
      left join lateral (
        select count(distinct kc.person_id) as owners, min(kc.person_id::text)::uuid as owner_id
        from access_keys kc
        where kc.kind = 'ssh' and kc.fingerprint = e.fingerprint
          and kc.created_on <= (l.collected_at at time zone 'UTC')::date
          and (kc.revoked_at is null or kc.revoked_at > l.collected_at)
      ) reg on true
    ),
    judged as (
      select en.listing_id::text || ':' || en.ordinal as id, en.listing_id::text as listing_id,
        en.fingerprint, en.file, en.line, en.host, en.system_name, p.name as person_name,
        to_char(en.collected_at at time zone 'UTC', 'YYYY-MM-DD') as collected_on,
        case when en.owners = 0 then 'unknown'
             when en.owners > 1 then 'shared'
             when p.id is null or p.start_date > (en.collected_at at time zone 'UTC')::date
               or (p.end_date is not null and p.end_date <= (en.collected_at at time zone 'UTC')::date)
               then 'departed'
             when not exists (
               select 1 from access_grants g
               where g.person_id = en.owner_id and g.system_id = en.system_id
                 and g.granted_at is not null and g.granted_at <= en.collected_at
                 and (g.revoked_at is null or g.revoked_at > en.collected_at)
             ) then 'no_grant'
        end as finding
      from entries en left join p on p.id = en.owner_id
    ),
    stale as (
      select l.id::text as id, l.id::text as listing_id, '' as fingerprint, '' as file, 0 as line,
        l.host, prod.name as system_name, null::text as person_name,
        to_char(l.collected_at at time zone 'UTC', 'YYYY-MM-DD') as collected_on,
        'stale'::text as finding
      from latest l join prod on prod.id = l.system_id
      where l.collected_at < ${staleBefore}
    ),
    found as (
      select * from judged where finding is not null
      union all select * from stale
    )
    select (select count(*) from latest) as listings, (select count(*) from entries) as entries,
      (select count(*) from found where finding <> 'stale') as failing,
      (select count(*) from found where finding = 'stale') as due_soon,
      f.*
    from (select 1) one
    left join lateral (
      select * from found
      order by finding = 'stale', host, listing_id, line, id
      limit ${MAX_STORED_OFFENDERS}
    ) f on true`.execute(tx);
  const first = result.rows[0];
  const listings = Number(first?.listings ?? 0);
  if (listings === 0) {
    return {
      state: "not_applicable",
      message: "No authorized_keys listing was collected from a production host.",
      offenders: [],
    };
  }
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((f) => ({
      kind: f.finding === "stale" ? "host_key_listing" : "host_key_entry",
      id: f.id,
      label:
        f.finding === "stale"
          ? `${f.host} (${f.system_name}), collected ${f.collected_on}`
          : `${f.fingerprint} on ${f.host} (${f.system_name})`,
      link: `/key-listings/${f.listing_id}`,
      action: ENTRY_ACTIONS[f.finding](f),
      state: f.finding === "stale" ? "due_soon" : "failing",
    }));
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} keys on production hosts are unknown, shared, of people who left, or of people without access to the host's system.`,
      offenders,
      offenderCount: failing + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} production hosts' latest listings are older than ${LISTING_FRESH_DAYS} days.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message: `Every one of the ${first?.entries} keys on the ${listings} production hosts' latest listings is registered to one active person with access to the host's system.`,
    offenders: [],
  };
}

export const keyChecks: readonly ControlTest[] = [
  { testKey: "keys-unique", controls: CONTROLS, sources: SOURCES, run: keysUnique },
  {
    testKey: "hosts-match-registry",
    controls: CONTROLS,
    sources: SOURCES,
    run: hostsMatchRegistry,
  },
];
